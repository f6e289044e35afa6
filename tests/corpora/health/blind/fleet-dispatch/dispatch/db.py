from sqlalchemy import create_engine

from . import settings

engine = create_engine(settings.SQLALCHEMY_URL, pool_pre_ping=True, pool_size=5)

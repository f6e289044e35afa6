import os

from sqlmodel import Session, create_engine

engine = create_engine(os.environ.get("DATABASE_URL", "postgresql://recipes:recipes@localhost/recipes"))


def get_session():
    with Session(engine) as session:
        yield session

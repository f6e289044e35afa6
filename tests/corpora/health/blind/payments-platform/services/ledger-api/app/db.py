import os

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

engine = create_async_engine(os.environ.get("LEDGER_DB_URL", "postgresql+asyncpg://ledger@127.0.0.1:5432/ledger"),
                             pool_size=10, pool_pre_ping=True)
Session = async_sessionmaker(engine, expire_on_commit=False, class_=AsyncSession)


async def get_session():
    async with Session() as session:
        yield session

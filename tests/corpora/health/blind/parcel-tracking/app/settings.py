from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARCEL_")

    database_dsn: str = "postgresql://parcel@localhost/parcel"
    kafka_bootstrap: str = "localhost:9092"
    events_topic: str = "parcel.events.v1"


settings = Settings()

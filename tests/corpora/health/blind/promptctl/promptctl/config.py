import json
import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir

CONFIG_FILE = Path(user_config_dir("promptctl")) / "config.json"


@dataclass
class Config:
    server: str = "https://prompts.internal.example.com"
    token: str | None = None

    @classmethod
    def load(cls) -> "Config":
        data = {}
        if CONFIG_FILE.exists():
            data = json.loads(CONFIG_FILE.read_text())
        if "PROMPTCTL_SERVER" in os.environ:
            data["server"] = os.environ["PROMPTCTL_SERVER"]
        if "PROMPTCTL_TOKEN" in os.environ:
            data["token"] = os.environ["PROMPTCTL_TOKEN"]
        return cls(**data)

    def save(self) -> None:
        CONFIG_FILE.parent.mkdir(parents=True, exist_ok=True)
        CONFIG_FILE.write_text(json.dumps({"server": self.server, "token": self.token}, indent=2))

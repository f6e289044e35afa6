from fastapi import FastAPI

from recipes.admin import admin_app
from recipes.routers import ops, recipes

app = FastAPI(title="Recipes", version="1.3.0")  # expect: HEALTH

app.include_router(recipes.router)
app.include_router(ops.router)
app.mount("/admin", admin_app)

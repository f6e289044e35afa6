from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import Field, Session, SQLModel, select

from recipes.db import get_session

router = APIRouter(prefix="/recipes", tags=["recipes"])


class Recipe(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    servings: int = 2
    image_key: str | None = None


@router.get("/")
def list_recipes(q: str | None = None, session: Session = Depends(get_session)) -> list[Recipe]:
    stmt = select(Recipe)
    if q:
        stmt = stmt.where(Recipe.title.ilike(f"%{q}%"))
    return session.exec(stmt.limit(50)).all()


@router.get("/{recipe_id}")
def get_recipe(recipe_id: int, session: Session = Depends(get_session)) -> Recipe:
    recipe = session.get(Recipe, recipe_id)
    if recipe is None:
        raise HTTPException(404)
    return recipe

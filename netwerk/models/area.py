"""The area tree: regio > gemeente > wijk."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from netwerk.db import Base
from netwerk.models.enums import AreaKind, enum_type


class Area(Base):
    __tablename__ = "areas"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        # A regio is the root; gemeenten and wijken always hang under something.
        CheckConstraint("(kind = 'regio') OR (parent_id IS NOT NULL)", name="parent_required"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    kind: Mapped[AreaKind] = mapped_column(enum_type(AreaKind, "area_kind"))
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str | None] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="RESTRICT"), index=True
    )

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.name")

    def __repr__(self) -> str:
        return f"<Area {self.kind} {self.name!r}>"

    @property
    def ancestors(self) -> list[Area]:
        """Parent, grandparent, …: for a wijk its gemeente then its regio."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


def area_and_descendant_ids(session: Session, area_id: int) -> set[int]:
    """Return the ids of an area and everything below it (a regio's gemeenten and wijken)."""
    found = {area_id}
    frontier = {area_id}
    while frontier:
        frontier = set(
            session.scalars(select(Area.id).where(Area.parent_id.in_(frontier))).all()
        ) - found
        found |= frontier
    return found

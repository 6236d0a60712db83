"""What the facilitator's table keeps: where each node of an area's map stands, and the
network's data-version counter.

``NodePosition`` rows are the layout of an area's map, computed once (networkx) and kept, so a
node stands in the same place after a restart, on every worker and from work session to work
session (netwerk/network/positions.py). ``DataVersion`` holds one counter per name, raised by
database triggers (migrations 0016 and 0021) on every change to what a network map or a
match is built from; the graph cache and the matching cache compare ``network_counter`` before
they ask anything else (netwerk/network/graph.py, netwerk/matching/cache.py).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from netwerk.db import Base

NETWORK_VERSION = "network"


class NodePosition(Base):
    __tablename__ = "node_positions"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"),
                                         primary_key=True)
    node_key: Mapped[str] = mapped_column(String(24), primary_key=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)


class DataVersion(Base):
    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# The counter's one row, the statement built once (every cached page view asks it first).
_COUNTER = select(DataVersion.version).where(DataVersion.name == NETWORK_VERSION)


def network_counter(session: Session) -> int | None:
    """The database's network data counter; None when its row is missing."""
    return session.connection().execute(_COUNTER).scalar()

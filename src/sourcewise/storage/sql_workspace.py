"""SQL repository for the decision workspace: saved scenarios, versions, runs, cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from sourcewise.storage import tables as t
from sourcewise.storage.repositories import DuplicateError, NotFoundError, WorkspaceRepository
from sourcewise.storage.sql_engagements import engagement_id
from sourcewise.storage.types import aware_utc, naive_utc
from sourcewise.workspace.records import (
    DecisionRun,
    EngagementCase,
    Review,
    RunStatus,
    SavedScenario,
    ScenarioVersion,
    Visibility,
)

_LATEST = (
    select(
        t.scenario_versions.c.scenario_id, func.max(t.scenario_versions.c.version).label("latest")
    )
    .group_by(t.scenario_versions.c.scenario_id)
    .subquery()
)


class SqlWorkspace(WorkspaceRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _scenario_id(self, name: str) -> int:
        found = self.connection.execute(
            select(t.scenarios.c.id).where(t.scenarios.c.name == name)
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no saved scenario named '{name}'")
        return int(found)

    def _select_scenarios(self) -> Any:
        s = t.scenarios
        return select(
            s.c.id,
            s.c.name,
            s.c.owner,
            s.c.visibility,
            s.c.created_at,
            func.coalesce(_LATEST.c.latest, 0).label("latest"),
        ).select_from(s.outerjoin(_LATEST, _LATEST.c.scenario_id == s.c.id))

    @staticmethod
    def _scenario(row: RowMapping) -> SavedScenario:
        return SavedScenario(
            row["name"],
            row["owner"],
            Visibility(row["visibility"]),
            aware_utc(row["created_at"]),
            int(row["latest"]),
            id=row["id"],
        )

    def add_scenario(self, scenario: SavedScenario) -> None:
        if self.scenario(scenario.name) is not None:
            raise DuplicateError(f"a scenario named '{scenario.name}' exists already")
        self.connection.execute(
            insert(t.scenarios).values(
                name=scenario.name,
                owner=scenario.owner,
                visibility=scenario.visibility.value,
                created_at=naive_utc(scenario.created_at),
            )
        )

    def scenario(self, name: str) -> SavedScenario | None:
        row = (
            self.connection.execute(self._select_scenarios().where(t.scenarios.c.name == name))
            .mappings()
            .first()
        )
        return None if row is None else self._scenario(row)

    def scenarios(self) -> list[SavedScenario]:
        rows = self.connection.execute(self._select_scenarios().order_by(t.scenarios.c.name))
        return [self._scenario(r) for r in rows.mappings()]

    def set_visibility(self, name: str, visibility: Visibility) -> None:
        self.connection.execute(
            update(t.scenarios)
            .where(t.scenarios.c.id == self._scenario_id(name))
            .values(visibility=visibility.value)
        )

    def add_version(self, version: ScenarioVersion) -> None:
        ident = self._scenario_id(version.scenario)
        taken = self.connection.execute(
            select(t.scenario_versions.c.id).where(
                t.scenario_versions.c.scenario_id == ident,
                t.scenario_versions.c.version == version.version,
            )
        ).first()
        if taken is not None:
            raise DuplicateError(f"{version.label} exists already")
        self.connection.execute(
            insert(t.scenario_versions).values(
                scenario_id=ident,
                version=version.version,
                created_at=naive_utc(version.created_at),
                author=version.author,
                note=version.note,
                text=version.text,
                model=version.model,
                digest=version.digest,
            )
        )

    def _select_versions(self) -> Any:
        v = t.scenario_versions
        return select(v, t.scenarios.c.name).join(t.scenarios, t.scenarios.c.id == v.c.scenario_id)

    @staticmethod
    def _version(row: RowMapping) -> ScenarioVersion:
        return ScenarioVersion(
            row["name"],
            row["version"],
            aware_utc(row["created_at"]),
            row["author"],
            row["note"],
            row["text"],
            row["model"],
            row["digest"],
            id=row["id"],
        )

    def version(self, name: str, number: int | None = None) -> ScenarioVersion | None:
        v = t.scenario_versions
        query = self._select_versions().where(t.scenarios.c.name == name)
        query = (
            query.order_by(v.c.version.desc()).limit(1)
            if number is None
            else query.where(v.c.version == number)
        )
        row = self.connection.execute(query).mappings().first()
        return None if row is None else self._version(row)

    def versions(self, name: str) -> list[ScenarioVersion]:
        query = (
            self._select_versions()
            .where(t.scenarios.c.name == name)
            .order_by(t.scenario_versions.c.version)
        )
        return [self._version(r) for r in self.connection.execute(query).mappings()]

    def add_run(self, run: DecisionRun) -> int:
        v = t.scenario_versions
        version_id = self.connection.execute(
            select(v.c.id).where(
                v.c.scenario_id == self._scenario_id(run.scenario), v.c.version == run.version
            )
        ).scalar_one_or_none()
        if version_id is None:
            raise NotFoundError(f"no version {run.version} of scenario '{run.scenario}'")
        values = {
            "version_id": version_id,
            "created_at": naive_utc(run.created_at),
            "actor": run.actor,
            "draws": run.draws,
            "seed": run.seed,
            "software_version": run.software_version,
            "data_version": run.data_version,
            "result": run.result,
            "result_digest": run.result_digest,
            "status": run.status.value,
            **self._review_values(run.review),
        }
        statement = insert(t.decision_runs).values(**values).returning(t.decision_runs.c.id)
        return int(self.connection.execute(statement).scalar_one())

    @staticmethod
    def _review_values(review: Review) -> dict[str, Any]:
        return {
            "proposed_by": review.proposed_by,
            "proposed_at": naive_utc(review.proposed_at),
            "proposal_note": review.proposal_note,
            "reviewed_by": review.reviewed_by,
            "reviewed_at": naive_utc(review.reviewed_at),
            "review_comment": review.review_comment,
        }

    def _select_runs(self, with_result: bool) -> Any:
        r = t.decision_runs
        columns = [c for c in r.c if with_result or c.name != "result"]
        return (
            select(*columns, t.scenarios.c.name, t.scenario_versions.c.version)
            .join(t.scenario_versions, t.scenario_versions.c.id == r.c.version_id)
            .join(t.scenarios, t.scenarios.c.id == t.scenario_versions.c.scenario_id)
        )

    @staticmethod
    def _run(row: RowMapping) -> DecisionRun:
        return DecisionRun(
            id=row["id"],
            scenario=row["name"],
            version=row["version"],
            created_at=aware_utc(row["created_at"]),
            actor=row["actor"],
            draws=row["draws"],
            seed=int(row["seed"]),
            software_version=row["software_version"],
            data_version=row["data_version"],
            result=row.get("result") or {},
            result_digest=row["result_digest"],
            status=RunStatus(row["status"]),
            review=Review(
                row["proposed_by"],
                aware_utc(row["proposed_at"]),
                row["proposal_note"],
                row["reviewed_by"],
                aware_utc(row["reviewed_at"]),
                row["review_comment"],
            ),
        )

    def run(self, run_id: int) -> DecisionRun | None:
        query = self._select_runs(True).where(t.decision_runs.c.id == run_id)
        row = self.connection.execute(query).mappings().first()
        return None if row is None else self._run(row)

    def runs(self, scenario: str | None = None, with_result: bool = False) -> list[DecisionRun]:
        query = self._select_runs(with_result).order_by(t.decision_runs.c.id.desc())
        if scenario is not None:
            query = query.where(t.scenarios.c.name == scenario)
        return [self._run(r) for r in self.connection.execute(query).mappings()]

    def set_review(self, run_id: int, status: RunStatus, review: Review) -> None:
        changed = self.connection.execute(
            update(t.decision_runs)
            .where(t.decision_runs.c.id == run_id)
            .values(status=status.value, **self._review_values(review))
        )
        if changed.rowcount != 1:
            raise NotFoundError(f"no decision run {run_id}")

    def link_case(self, case: EngagementCase) -> None:
        ident = engagement_id(self.connection, case.engagement)
        self.connection.execute(
            t.engagement_cases.delete().where(t.engagement_cases.c.engagement_id == ident)
        )
        self.connection.execute(
            insert(t.engagement_cases).values(
                engagement_id=ident,
                run_id=case.run_id,
                function=case.function,
                option=case.option,
                linked_at=naive_utc(case.linked_at),
                linked_by=case.linked_by,
            )
        )

    def _select_cases(self) -> Any:
        c = t.engagement_cases
        return select(c, t.engagements.c.name).join(
            t.engagements, t.engagements.c.id == c.c.engagement_id
        )

    @staticmethod
    def _case(row: RowMapping) -> EngagementCase:
        return EngagementCase(
            row["name"],
            row["run_id"],
            row["function"],
            row["option"],
            aware_utc(row["linked_at"]),
            row["linked_by"],
        )

    def case(self, engagement: str) -> EngagementCase | None:
        query = self._select_cases().where(t.engagements.c.name == engagement)
        row = self.connection.execute(query).mappings().first()
        return None if row is None else self._case(row)

    def cases(self, run_id: int | None = None) -> list[EngagementCase]:
        query = self._select_cases().order_by(t.engagements.c.name)
        if run_id is not None:
            query = query.where(t.engagement_cases.c.run_id == run_id)
        return [self._case(r) for r in self.connection.execute(query).mappings()]

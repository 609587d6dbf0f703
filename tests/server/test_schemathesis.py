"""A bounded schemathesis run over the live server's OpenAPI document: no request it generates, valid or not,
may get a 5xx. Authorised with a real device token (and the national admin token), deterministic."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest

try:
    import schemathesis
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI") == "true":
        pytest.fail("schemathesis is not installed — CI must install the test extra", pytrace=False)
    pytest.skip("schemathesis is not installed", allow_module_level=True)

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from server import admin  # noqa: E402
from server.models import MutationRecord  # noqa: E402
from tests.server.support import TIMEOUT, Backend, Device  # noqa: E402

# Examples per operation: valid ones reach the handlers; invalid ones mostly stop at validation, so fewer.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}


@dataclass
class Run:
    backend: Backend
    device: Device
    api_key: str
    failures: list[str] = field(default_factory=list)
    seen: dict[str, Counter[int]] = field(default_factory=dict)

    def call(self, case: schemathesis.Case, mode: GenerationMode) -> None:
        path = case.operation.path
        if isinstance(case.body, dict) and mode == GenerationMode.POSITIVE:
            # Reach past the first check, so generated mutations and requests meet the real rules.
            if path.endswith("/sync/push"):
                case.body["client_id"] = self.device.client_id
                mutations = case.body.get("mutations")
                if isinstance(mutations, list):  # in seq order: applied, not stopped at a gap
                    for seq, m in enumerate(mutations, start=self.backend.count(MutationRecord) + 1):
                        if isinstance(m, dict):
                            m["seq"] = seq
            elif path.startswith("/open311/") and case.method.upper() == "POST":
                case.body["api_key"] = self.api_key
        response = case.call(base_url=self.backend.url, timeout=TIMEOUT)
        self.seen.setdefault(case.operation.label, Counter())[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {case.as_curl_command()}\n{response.text[:300]}")


def _fuzz(run: Run, operation: schemathesis.APIOperation, mode: GenerationMode, token: str) -> None:
    @settings(max_examples=MAX_EXAMPLES[mode], derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode, headers={"authorization": f"Bearer {token}"}))
    def exercise(case: schemathesis.Case) -> None:
        run.call(case, mode)

    try:
        exercise()
    except Unsatisfiable:
        # Nothing of this operation can be made invalid (no parameters, no body).
        assert mode == GenerationMode.NEGATIVE, operation.label


def test_no_request_gets_a_server_error(backend: Backend, device_a: Device, device_b: Device) -> None:
    schema = schemathesis.openapi.from_url(backend.url + "/openapi.json")
    device_a.push_one(device_a.intake())  # so pushes and pulls meet a database with data in it
    with backend.db.transaction() as session:
        admin.import_reference(session, categories_json=None, policy_json=None, holiday_years=range(2026, 2027))
        api_key = admin.create_api_key(session, "fuzz", None, backend.clock())
    run = Run(backend, device_a, api_key)
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        token = device_a.token
        if "/national/" in operation.path:
            token = str(backend.settings.national_admin_token)
        elif operation.path.endswith("/token/refresh"):
            token = device_b.token  # rotated by the first example; device A keeps working
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(run, operation, mode, token)
    assert operations >= 12
    assert not run.failures, "\n\n".join(run.failures[:10])
    # The run reached the handlers, not only the validation in front of them.
    assert run.seen["POST /api/v1/sync/push"][200] and run.seen["POST /api/v1/sync/pull"][200], run.seen
    assert backend.get("/health").status_code == 200
    assert device_a.pull()["changes"]

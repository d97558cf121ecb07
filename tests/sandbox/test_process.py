import httpx

from django_calendly.sandbox import SandboxProcess


def test_sandbox_in_its_own_process_serves_and_stops():
    with SandboxProcess(seed=3, token="proc-token", latency=0.0, clock_rate=60) as sb:
        info = sb.info()
        assert info["url"] == sb.url
        with httpx.Client(base_url=sb.url, trust_env=False) as http:
            me = http.get("/users/me", headers={"Authorization": "Bearer proc-token"})
            assert me.status_code == 200
            assert me.json()["resource"]["uri"] == info["user"]
            assert http.get("/users/me").status_code == 401
            assert http.get("/_sandbox/config").json()["clock_rate"] == 60.0  # --clock-rate
        assert sb.stats()["requests"]["GET /users/me"] == 2
    assert sb.process.poll() is not None

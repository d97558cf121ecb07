"""Benchmark-only baseline (mounted only when DEMO_BENCH_BASELINE=1): the cheapest useful
webhook receiver, which reads the body and inserts one row, nothing else. The webhook
ingest benchmark compares the real receiver against it in the same server and run.

The table is created by ``bench/webhook_ingest.py``.
"""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE = "bench_baseline_delivery"


@csrf_exempt
@require_POST
def baseline_receiver(request: HttpRequest) -> JsonResponse:
    body = request.body.decode("utf-8")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (body, received_at) VALUES (%s, now()) RETURNING id",  # noqa: S608
            [body],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"status": "accepted", "id": row_id}, status=202)

"""``StartTimePosition``: what a start-time-ordered listing had, to start again from it."""

from django_calendly.client.positions import StartTimePosition

EVENTS = "https://api.calendly.com/scheduled_events/"
NINE, TEN = "2030-01-01T09:00:00.000000Z", "2030-01-01T10:00:00.000000Z"
A = {"uri": EVENTS + "A", "start_time": NINE}
B = {"uri": EVENTS + "B", "start_time": NINE}
C = {"uri": EVENTS + "C", "start_time": TEN}


def test_empty_position_has_seen_nothing_and_cannot_restart():
    position = StartTimePosition()
    assert not position.seen(A)
    assert position.restart_from() is None
    assert position.to_dict() == {}


def test_seen_is_earlier_starts_and_uris_had_at_the_last_start():
    position = StartTimePosition()
    position.advance(A)
    assert position.seen(A) and not position.seen(B) and not position.seen(C)
    position.advance(B)
    position.advance(C)
    assert position.seen(A) and position.seen(B) and position.seen(C)  # A, B start earlier
    assert position.restart_from() == "2030-01-01T09:59:59.999999Z"


def test_marker_moves_only_with_progress():
    position = StartTimePosition()
    position.advance(A)
    before = position.marker
    position.advance(A)
    assert position.marker == before
    position.advance(B)
    assert position.marker != before


def test_round_trip_and_garbage():
    position = StartTimePosition()
    position.advance(A)
    position.advance(B)
    again = StartTimePosition.from_dict(position.to_dict())
    assert again == position
    for junk in (None, "x", {"start_time": "soon", "uris": []}, {"start_time": A["start_time"]},
                 {"start_time": "2030-01-01T09:00:00", "uris": []}):
        assert StartTimePosition.from_dict(junk) == StartTimePosition()


def test_items_without_a_usable_start_time_are_not_positions():
    position = StartTimePosition()
    position.advance({"uri": "x", "start_time": None})
    position.advance({"uri": "y", "start_time": "not a time"})
    assert position.to_dict() == {}

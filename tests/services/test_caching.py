from django_calendly.services.caching import ProcessCache


def test_loads_once_per_max_age_and_again_after_invalidate():
    loads = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    cache = ProcessCache(load, 0, max_age=60, min_reload_interval=1)
    assert cache.get() == 1
    assert cache.get() == 1
    assert cache.get(refresh=True) == 1  # loaded less than a second ago
    cache.loaded_at -= 2
    assert cache.get(refresh=True) == 2  # a caller with reason to doubt may reload early
    cache.invalidate()
    assert cache.get() == 3
    assert len(loads) == 3


def test_a_load_that_raced_with_invalidate_is_not_kept():
    cache: ProcessCache[str] = ProcessCache(lambda: "", "")

    def load() -> str:
        cache.invalidate()  # the data changed while we were reading it
        return "stale"

    cache.load = load
    assert cache.get() == "stale"  # the caller gets what was read...
    cache.load = lambda: "fresh"
    assert cache.get() == "fresh"  # ...but it was not cached


def test_an_empty_value_is_not_kept_when_cache_empty_is_false():
    values = ["", "", "org"]
    cache: ProcessCache[str] = ProcessCache(lambda: values.pop(0), "", cache_empty=False)
    assert cache.get() == ""
    assert cache.get() == ""  # loaded again: absence is never cached
    assert cache.get() == "org"
    assert cache.get() == "org"  # a found value is kept
    assert values == []

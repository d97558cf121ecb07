// The booking page: only the app's REST endpoints, with the session's login.
//   GET  oauth/status/                      -> the user's Calendly user URI
//   GET  event/types/?user=...&active=true  -> the event types to pick from
//   GET  event/type/available-times/?...    -> open slots (start not in the past, <= 31 days)
//   POST invitees/                          -> book one (Idempotency-Key, CSRF header)
// Errors arrive in the app's shape {"code", "title", "message", "details"}.
(function () {
  "use strict";
  const root = document.getElementById("book");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const DAYS = 7; // the slots shown: the next week (the endpoint allows up to 31 days)
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const state = {eventType: null, slot: null, idempotencyKey: null};

  class ApiError extends Error {
    constructor(status, body) {
      const message = (body && body.message) || ("The server answered " + status + ".");
      super(message);
      this.status = status;
      this.code = (body && body.code) || "http_" + status;
      this.details = (body && Array.isArray(body.details)) ? body.details : [];
    }
  }

  async function api(url, options) {
    const answer = await fetch(url, Object.assign({credentials: "same-origin"}, options));
    let body = null;
    try { body = await answer.json(); } catch (e) { body = null; }
    if (!answer.ok) throw new ApiError(answer.status, body);
    return body;
  }

  function showError(err) {
    const box = $("error");
    if (!err) { box.hidden = true; box.textContent = ""; return; }
    const fields = (err.details || [])
      .filter((d) => d && d.message)
      .map((d) => (d.parameter ? d.parameter + ": " : "") + d.message);
    box.textContent = err.message + (fields.length ? " (" + fields.join("; ") + ")" : "");
    box.dataset.code = err.code || "";
    box.hidden = false;
  }

  function when(iso) {
    return new Date(iso).toLocaleString(undefined, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short",
    });
  }

  function day(iso) {
    return new Date(iso).toLocaleDateString(undefined, {
      weekday: "long", day: "numeric", month: "long",
    });
  }

  function hour(iso) {
    return new Date(iso).toLocaleTimeString(undefined, {hour: "2-digit", minute: "2-digit"});
  }

  // A toggle button; picking it un-presses the other choices of the same list.
  function choice(label, onPick, list) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "choice";
    b.textContent = label;
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () {
      for (const other of list.querySelectorAll("button.choice")) {
        other.setAttribute("aria-pressed", "false");
      }
      b.setAttribute("aria-pressed", "true");
      onPick();
    });
    return b;
  }

  async function start() {
    try {
      const status = await api(root.dataset.status, {headers: {Accept: "application/json"}});
      $("loading").hidden = true;
      if (!status.connected || !status.owner) {
        const p = document.createElement("p");
        p.id = "not-connected";
        p.append("Connect your Calendly account first: ");
        const a = document.createElement("a");
        a.href = root.dataset.connect;
        a.textContent = "Connect Calendly";
        p.append(a);
        root.prepend(p);
        return;
      }
      const query = new URLSearchParams({user: status.owner, active: "true"});
      const page = await api(root.dataset.api + "?" + query);
      const list = $("event-types");
      list.replaceChildren();
      for (const et of page.collection) {
        const label = et.name + (et.duration ? " (" + et.duration + " min)" : "");
        const b = choice(label, () => pickEventType(et), list);
        b.dataset.uri = et.uri;
        list.append(b);
      }
      if (!page.collection.length) list.textContent = "You have no active event types.";
      $("step-type").hidden = false;
    } catch (err) {
      $("loading").hidden = true;
      showError(err);
    }
  }

  async function pickEventType(et) {
    state.eventType = et;
    state.slot = null;
    $("step-form").hidden = true;
    $("confirmation").hidden = true;
    await loadSlots();
  }

  async function loadSlots() {
    showError(null);
    const slots = $("slots");
    slots.textContent = "Loading…";
    $("step-slot").hidden = false;
    // A minute ahead, so "not in the past" still holds when the request arrives.
    const from = new Date(Date.now() + 60 * 1000);
    const to = new Date(from.getTime() + DAYS * 24 * 3600 * 1000);
    $("range").textContent = "next " + DAYS + " days, times in " + timezone;
    const query = new URLSearchParams({
      event_type: state.eventType.uri, start_time: from.toISOString(), end_time: to.toISOString(),
    });
    try {
      const body = await api(root.dataset.times + "?" + query);
      const open = body.collection.filter((s) => s.status === "available");
      slots.replaceChildren();
      let group = null;
      for (const slot of open) {
        const label = day(slot.start_time);
        if (!group || group.dataset.day !== label) {  // one row per day
          group = document.createElement("div");
          group.className = "day";
          group.dataset.day = label;
          const heading = document.createElement("h3");
          heading.textContent = label;
          group.append(heading);
          slots.append(group);
        }
        const b = choice(hour(slot.start_time), () => pickSlot(slot), slots);
        b.dataset.start = slot.start_time;
        group.append(b);
      }
      if (!open.length) slots.textContent = "No open times in the next " + DAYS + " days.";
    } catch (err) {
      slots.replaceChildren();
      showError(err);
    }
  }

  function pickSlot(slot) {
    state.slot = slot;
    // One key per booking attempt: pressing Book again after a lost answer retries the
    // same booking (the server replays its first answer) instead of booking twice.
    state.idempotencyKey = crypto.randomUUID();
    $("chosen").textContent = state.eventType.name + ", " + when(slot.start_time);
    $("step-form").hidden = false;
    $("confirmation").hidden = true;
    showError(null);
  }

  $("invitee-form").addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const form = ev.target;
    const submit = $("submit");
    submit.disabled = true;
    showError(null);
    try {
      const body = await api(root.dataset.invitees, {
        method: "POST",
        headers: {
          "Content-Type": "application/json", Accept: "application/json",
          "X-CSRFToken": csrf, "Idempotency-Key": state.idempotencyKey,
        },
        body: JSON.stringify({
          event_type: state.eventType.uri,
          start_time: state.slot.start_time,
          invitee: {
            name: form.elements.namedItem("name").value,
            email: form.elements.namedItem("email").value,
            timezone: timezone,
          },
        }),
      });
      showConfirmation(body.resource, body.scheduled_event);
      form.reset();
      state.slot = null;
    } catch (err) {
      showError(err);
      if (err.code === "slot_unavailable" || err.code === "outside_availability") {
        // Someone else took it, or the schedule changed: show the open times again.
        $("step-form").hidden = true;
        await loadSlots();
        showError(err);
      } else if (err.status && err.status < 500 && err.code !== "booking_rate_limited") {
        state.idempotencyKey = crypto.randomUUID(); // a definite "no": the next try is new
      }
    } finally {
      submit.disabled = false;
    }
  });

  function showConfirmation(invitee, event) {
    $("step-form").hidden = true;
    const text = $("confirmation-text");
    text.textContent = (event.name || state.eventType.name) + " on " + when(event.start_time) +
      " is booked for " + invitee.name + " <" + invitee.email + ">.";
    text.dataset.event = event.uri || "";
    text.dataset.invitee = invitee.uri || "";
    $("confirmation").hidden = false;
    for (const b of $("slots").querySelectorAll('[aria-pressed="true"]')) b.remove(); // taken
  }

  start();
})();

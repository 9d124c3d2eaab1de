// Working together on one article (issue 19). Autosave: every few seconds (the form's
// data-autosave-seconds) what was typed and not saved goes to a private autosave, and once more
// when the tab is hidden or closed, so nothing typed is lost. Presence: a heartbeat keeps the
// soft editing lock; whoever else holds it is named, and "Take over" takes it explicitly.
"use strict";
{
    let form = null;
    let box = null;
    const FIELDS = [
        "title", "slug", "standfirst", "body", "image_alt", "image_caption", "image_credit",
        "seo_title", "seo_description", "canonical_url",
    ];

    function token() {
        const input = form.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function snapshot() {
        const data = new FormData();
        for (const name of FIELDS) {
            const field = form.elements.namedItem(name);
            if (field && "value" in field) {
                data.append(name, field.value);
            }
        }
        return data;
    }

    function fingerprint(data) {
        return JSON.stringify(Array.from(data.entries()));
    }

    function withToken(data, extra) {
        data.append("csrfmiddlewaretoken", token());
        const version = form.elements.namedItem("opened_version");
        if (version) {
            data.append("opened_version", version.value);
        }
        for (const [key, value] of Object.entries(extra || {})) {
            data.append(key, value);
        }
        return data;
    }

    function installAutosave() {
        const url = box.dataset.autosaveUrl;
        const status = box.querySelector(".desk-autosave-status");
        const every = Math.max(5, Number(box.dataset.autosaveSeconds || 30)) * 1000;
        let saved = fingerprint(snapshot());
        let submitting = false;

        async function save() {
            const data = snapshot();
            const now = fingerprint(data);
            if (now === saved || submitting) {
                return;
            }
            try {
                const response = await fetch(url, {
                    method: "POST", body: withToken(data), credentials: "same-origin",
                    headers: { "X-Requested-With": "XMLHttpRequest" },
                });
                if (response.ok) {
                    const answer = await response.json();
                    saved = now;
                    status.textContent = `Autosaved at ${answer.saved_at} (only you see it until you save).`;
                }
            } catch (error) {
                status.textContent = "Autosave failed; it will try again.";
            }
        }

        function saveBeforeLeaving() {
            const data = snapshot();
            if (submitting || fingerprint(data) === saved || !navigator.sendBeacon) {
                return;
            }
            if (navigator.sendBeacon(url, withToken(data))) {
                saved = fingerprint(data);
            }
        }

        form.addEventListener("submit", () => { submitting = true; });
        window.setInterval(save, every);
        document.addEventListener("visibilitychange", () => {
            if (document.visibilityState === "hidden") {
                saveBeforeLeaving();
            }
        });
        window.addEventListener("pagehide", saveBeforeLeaving);
        window.deskAutosaveNow = save;  // for the browser tests and the impatient

        const discard = box.querySelector(".desk-discard");
        if (discard) {
            discard.addEventListener("click", async () => {
                await fetch(url, { method: "POST", body: withToken(new FormData(), { discard: "1" }),
                                   credentials: "same-origin" });
                submitting = true;
                window.location.reload();
            });
        }
    }

    function installPresence() {
        const url = box.dataset.presenceUrl;
        if (!url) {
            return;
        }
        const notice = box.querySelector(".desk-presence");
        const text = notice.querySelector(".desk-presence-text");
        const takeOver = notice.querySelector(".desk-take-over");
        const every = Math.max(5, Number(box.dataset.heartbeatSeconds || 20)) * 1000;
        let held = notice.hidden;

        function show(state) {
            if (state.you) {
                notice.hidden = true;
                held = true;
                return;
            }
            text.textContent = held
                ? `${state.holder} took over editing at ${state.since}. Your changes can still be saved: they will be checked against theirs.`
                : `${state.holder} is editing this (since ${state.since}).`;
            takeOver.hidden = false;
            notice.hidden = false;
            held = false;
        }

        async function beat(extra) {
            try {
                const response = await fetch(url, {
                    method: "POST", body: withToken(new FormData(), extra), credentials: "same-origin",
                    headers: { "X-Requested-With": "XMLHttpRequest" },
                });
                if (response.ok) {
                    show(await response.json());
                }
            } catch (error) {
                // The next beat tries again.
            }
        }

        takeOver.addEventListener("click", () => beat({ take_over: "1" }));
        window.setInterval(() => beat(), every);
        window.addEventListener("pagehide", () => {
            if (held && navigator.sendBeacon) {
                navigator.sendBeacon(url, withToken(new FormData(), { release: "1" }));
            }
        });
        window.deskHeartbeatNow = () => beat();
    }

    function install() {
        form = document.getElementById("article_form");
        box = document.querySelector(".desk-together");
        if (form && box) {
            installAutosave();
            installPresence();
        }
    }

    // The admin loads its media in the page's head: wait for the form.
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", install);
    } else {
        install();
    }
}

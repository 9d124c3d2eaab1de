// The article form's publishing buttons (issue 19): "Publish now", "Schedule…" and "Unpublish"
// ask first, saying what readers will see and when; "Schedule…" asks for the time too and puts
// it into the form's publication-time fields (read in the newsroom's time zone).
"use strict";
{
    let form = null;
    let dialog = null;

    function pad(n) {
        return String(n).padStart(2, "0");
    }

    function newsroomNow(timeZone) {
        try {
            return new Intl.DateTimeFormat("en-GB", {
                timeZone, dateStyle: "medium", timeStyle: "short",
            }).format(new Date());
        } catch (error) {
            return new Date().toLocaleString();
        }
    }

    function readable(localValue) {
        // "2026-12-03T09:00" as "3 Dec 2026, 09:00", without moving it to another zone.
        const [day, clock] = localValue.split("T");
        const [y, m, d] = day.split("-").map(Number);
        const month = new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en-GB", { month: "short", timeZone: "UTC" });
        return `${d} ${month} ${y}, ${clock.slice(0, 5)}`;
    }

    function scheduledValue() {
        const date = document.getElementById("id_published_at_0");
        const time = document.getElementById("id_published_at_1");
        if (date && date.value && time && time.value) {
            const value = `${date.value}T${time.value.slice(0, 5)}`;
            if (new Date(value) > new Date()) {
                return value;
            }
        }
        const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
        return `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T09:00`;
    }

    function install() {
        form = document.getElementById("article_form");
        dialog = document.getElementById("desk-confirm");
        if (!form || !dialog || typeof dialog.showModal !== "function") {
            return;  // no dialog support: the buttons submit straight away
        }
        const timeZone = dialog.dataset.timeZone;
        const title = dialog.querySelector(".desk-dialog-title");
        const text = dialog.querySelector(".desk-dialog-text");
        const when = dialog.querySelector(".desk-dialog-when");
        const whenInput = dialog.querySelector("#desk-schedule-at");
        const error = dialog.querySelector(".desk-dialog-error");
        let pending = null;

        function explain() {
            const headline = (document.getElementById("id_title") || {}).value || "this article";
            const at = whenInput.value ? readable(whenInput.value) : "the time you choose";
            text.textContent = pending.dataset.confirm
                .replaceAll("{title}", headline.trim())
                .replaceAll("{now}", newsroomNow(timeZone))
                .replaceAll("{when}", at);
        }

        form.addEventListener("click", (event) => {
            const button = event.target.closest("button[data-confirm]");
            if (!button || !form.contains(button)) {
                return;
            }
            if (button.dataset.confirmed === "yes") {
                delete button.dataset.confirmed;
                return;  // confirmed: let it submit
            }
            event.preventDefault();
            pending = button;
            const scheduling = button.value === "schedule";
            title.textContent = button.textContent.replace("…", "").trim() + "?";
            when.hidden = !scheduling;
            error.hidden = true;
            if (scheduling) {
                whenInput.value = scheduledValue();
            }
            explain();
            dialog.showModal();
            (scheduling ? whenInput : dialog.querySelector(".desk-dialog-confirm")).focus();
        });

        whenInput.addEventListener("input", explain);

        dialog.querySelector(".desk-dialog-cancel").addEventListener("click", () => {
            pending = null;
            dialog.close();
        });

        dialog.querySelector(".desk-dialog-confirm").addEventListener("click", () => {
            if (!pending) {
                return;
            }
            if (pending.value === "schedule") {
                if (!whenInput.value || new Date(whenInput.value) <= new Date()) {
                    error.hidden = false;
                    return;
                }
                const [day, clock] = whenInput.value.split("T");
                document.getElementById("id_published_at_0").value = day;
                document.getElementById("id_published_at_1").value = `${clock.slice(0, 5)}:00`;
            }
            const button = pending;
            pending = null;
            dialog.close();
            button.dataset.confirmed = "yes";
            button.click();
        });
    }

    // The admin loads its media in the page's head: wait for the form.
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", install);
    } else {
        install();
    }
}

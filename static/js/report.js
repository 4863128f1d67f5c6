// The activity report form (templates/goals/report_edit.html): saves the draft while the secretary types,
// adds activity rows, and keeps a copy of everything typed in the browser (localStorage) until the server
// has it, so nothing is lost when the session times out or the network drops. Without JavaScript the
// form still works with its "Gem kladde" and "Send til godkendelse" buttons.
(function () {
  "use strict";
  const form = document.getElementById("report-form");
  if (!form) return;
  const statusEl = document.getElementById("autosave-status");
  const storageKey = form.dataset.storageKey;
  const url = form.dataset.autosaveUrl;
  const lang = document.documentElement.lang || "da";
  const T = lang.startsWith("en")
    ? {
        saved: "Draft saved at ",
        failed: "Not saved: ",
        offline: "Could not reach the server; your text is kept in this browser and saving is retried.",
        loggedOut: "You are logged out. Your text is kept in this browser: log in again in a new tab, and this page saves it by itself.",
        gone: "This report can no longer be edited here (it was sent or approved meanwhile). Your text is kept in this browser; reload the page.",
        restore: "Restore",
        discard: "Discard",
        backup: "This browser has text that was not saved to the server (from ",
      }
    : {
        saved: "Kladden er gemt kl. ",
        failed: "Ikke gemt: ",
        offline: "Kunne ikke nå serveren; din tekst er gemt i browseren, og der prøves igen.",
        loggedOut: "Du er logget ud. Din tekst er gemt i browseren: log ind igen i en ny fane, så gemmer denne side den selv.",
        gone: "Rapporten kan ikke længere redigeres her (den er sendt eller godkendt imens). Din tekst er gemt i browseren; genindlæs siden.",
        restore: "Gendan",
        discard: "Kassér",
        backup: "Browseren har tekst, der ikke blev gemt på serveren (fra ",
      };

  // "Before the report can be sent: ..." follows what has been saved.
  const checklist = document.getElementById("submit-checklist");
  function showChecklist(problems) {
    if (!checklist) return;
    const list = checklist.querySelector("ul");
    // Unchanged after a save: leave it, so a screen reader does not announce it again.
    const current = Array.from(list.children).map(function (item) {
      return item.textContent;
    });
    if (current.join("\n") === problems.join("\n") && checklist.hidden === (problems.length === 0)) return;
    list.replaceChildren.apply(
      list,
      problems.map(function (text) {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      })
    );
    checklist.hidden = problems.length === 0;
  }

  const rows = document.getElementById("activity-rows");
  const template = document.getElementById("activity-template");
  const total = form.querySelector('input[name="activities-TOTAL_FORMS"]');
  const addButton = document.getElementById("add-activity");

  function addRow() {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    number();
    return rows.lastElementChild;
  }
  function number() {
    rows.querySelectorAll(".activity-row").forEach(function (row, i) {
      const n = row.querySelector(".activity-number");
      if (n) n.textContent = String(i + 1);
    });
  }
  addButton.hidden = false;
  addButton.addEventListener("click", function () {
    const row = addRow();
    row.querySelector("input[type=text], textarea").focus();
  });
  number();

  // A snapshot of every field, for the browser copy.
  function snapshot() {
    const data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      (data[name] = data[name] || []).push(value);
    });
    return data;
  }
  function keep() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ at: new Date().toISOString(), data: snapshot() }));
    } catch (e) {
      /* storage full or disabled: the server save still runs */
    }
  }
  function forget() {
    try {
      localStorage.removeItem(storageKey);
    } catch (e) {
      /* ignore */
    }
  }
  // What the user wrote, without bookkeeping fields, to tell whether the browser copy differs.
  function essence(data) {
    const first = function (name) {
      return (data[name] || [""])[0];
    };
    const activities = [];
    const n = parseInt(first("activities-TOTAL_FORMS") || "0", 10);
    for (let i = 0; i < n; i++) {
      const p = "activities-" + i + "-";
      if (data[p + "DELETE"] || !(first(p + "title") || first(p + "description"))) continue;
      activities.push([
        first(p + "title").trim(),
        first(p + "description").trim(),
        first(p + "status"),
        data[p + "partners"] || [],
        link(first(p + "link").trim()),
      ]);
    }
    return JSON.stringify([first("assessment"), first("narrative").replace(/\r\n/g, "\n").trim(), activities]);
  }
  // As the server stores a link: a missing scheme means https.
  function link(value) {
    return value && !/^[a-z][a-z0-9+.-]*:/i.test(value) ? "https://" + value : value;
  }
  function restore(data) {
    const wanted = parseInt((data["activities-TOTAL_FORMS"] || ["0"])[0], 10);
    while (parseInt(total.value, 10) < wanted) addRow();
    Object.keys(data).forEach(function (name) {
      // Ids stay as the server rendered them: a stale id from the copy must not point a row elsewhere.
      if (name === "version" || name.endsWith("-id") || name.endsWith("TOTAL_FORMS") || name.endsWith("INITIAL_FORMS")) return;
      const fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      fields.forEach(function (field) {
        if (field.type === "checkbox") field.checked = data[name].includes(field.value);
        else field.value = data[name][0];
      });
    });
    // Checkboxes that were unticked are absent from the snapshot.
    form.querySelectorAll('input[type=checkbox][name^="activities-"]').forEach(function (box) {
      if (!(box.name in data)) box.checked = false;
    });
    schedule(0);
  }
  function offerBackup() {
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (e) {
      saved = null;
    }
    if (!saved) return;
    // Already on the server (a normal save went through): nothing to offer.
    if (essence(saved.data) === essence(snapshot())) {
      forget();
      return;
    }
    const box = document.createElement("div");
    box.className = "notice backup-notice";
    box.setAttribute("role", "alert");
    const when = new Date(saved.at).toLocaleString(lang.startsWith("en") ? "en-GB" : "da-DK");
    box.append(T.backup + when + "). ");
    const yes = document.createElement("button");
    yes.type = "button";
    yes.textContent = T.restore;
    const no = document.createElement("button");
    no.type = "button";
    no.textContent = T.discard;
    box.append(yes, " ", no);
    form.prepend(box);
    yes.addEventListener("click", function () {
      restore(saved.data);
      box.remove();
    });
    no.addEventListener("click", function () {
      forget();
      box.remove();
    });
  }

  let timer = null;
  let inFlight = false;
  let again = false;
  let submitter = null;

  // Logging in again (in another tab) gives a new CSRF token: always send the current one.
  function freshToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (match && field) field.value = decodeURIComponent(match[1]);
  }
  function say(text) {
    statusEl.textContent = text;
  }
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }
  function save() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    freshToken();
    const body = new FormData(form);
    const sent = essence(snapshot());
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        const json = (response.headers.get("Content-Type") || "").includes("json");
        return (json ? response.json() : Promise.resolve({})).then(function (payload) {
          // Sent to a log-in page (every page needs a log-in) counts as logged out.
          return { status: response.redirected || !json ? 403 : response.status, payload: payload };
        });
      })
      .then(function (result) {
        form.querySelectorAll(".field-error.live").forEach(function (e) {
          const field = e.previousElementSibling;
          if (field) {
            field.removeAttribute("aria-invalid");
            const rest = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
              return id && id !== e.id;
            });
            if (rest.length) field.setAttribute("aria-describedby", rest.join(" "));
            else field.removeAttribute("aria-describedby");
          }
          e.remove();
        });
        if (result.status === 200 && result.payload.version) {
          form.querySelector('input[name="version"]').value = result.payload.version;
          const ids = result.payload.ids || {};
          rows.querySelectorAll(".activity-row").forEach(function (row) {
            const idField = row.querySelector('input[name$="-id"]');
            // Rows the server dropped (removed, or blank) no longer have an activity.
            if (idField) idField.value = ids[row.dataset.prefix] || "";
          });
          say(T.saved + result.payload.saved_at);
          showChecklist(result.payload.problems || []);
          // Forget the browser copy only if nothing was typed while this save was on its way.
          if (essence(snapshot()) === sent) forget();
          else keep();
        } else if (result.status === 403 || result.status === 200) {
          keep();
          say(T.loggedOut);
          again = true; // retried until the user has logged in again elsewhere
        } else if (result.status === 404) {
          keep();
          say(T.gone);
        } else {
          keep();
          // The server's message names what went wrong, starting with "Ikke gemt".
          say(result.payload.error || T.failed.trim());
          Object.entries(result.payload.errors || {}).forEach(function ([name, problems]) {
            const field = form.querySelector('[name="' + name + '"]');
            if (!field) return;
            const p = document.createElement("p");
            p.className = "field-error live";
            p.id = "live-error-" + name;
            p.textContent = problems.map(function (x) {
              return x.message;
            }).join(" ");
            field.insertAdjacentElement("afterend", p);
            field.setAttribute("aria-invalid", "true");
            const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
            if (!described.includes(p.id)) described.push(p.id);
            field.setAttribute("aria-describedby", described.join(" "));
          });
        }
      })
      .catch(function () {
        keep();
        say(T.offline);
        again = true;
      })
      .finally(function () {
        inFlight = false;
        if (submitter) {
          const button = submitter;
          submitter = null;
          form.requestSubmit(button);
        } else if (again) {
          schedule(5000);
        }
      });
  }

  form.addEventListener("input", function () {
    keep();
    schedule(1500);
  });
  form.addEventListener("change", function () {
    keep();
    schedule(800);
  });
  // A normal save or submit must not race an autosave (its version would be stale): wait for it.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inFlight) {
      event.preventDefault();
      submitter = event.submitter;
      return;
    }
    freshToken();
    keep();
  });
  offerBackup();
})();

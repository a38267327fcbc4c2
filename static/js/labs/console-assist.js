// Console conveniences that need no server: several pasted lines run one by one, Tab
// completes kubectl verbs, resource types and the names the resource view shows, and a
// mistyped "kubeclt" (or verb) is caught before it is sent, with the right word offered.
(function () {
  "use strict";
  const VERBS = ["get", "describe", "create", "delete", "run", "expose", "scale", "autoscale", "rollout", "set",
    "label", "annotate", "patch", "explain", "api-resources", "api-versions", "version", "top", "logs", "auth",
    "cluster-info", "events", "wait", "help"];
  const SUB = {
    rollout: ["status", "history", "undo", "restart", "pause", "resume"],
    set: ["image", "env", "resources"],
    auth: ["can-i", "whoami"],
    create: ["deployment", "service", "configmap", "secret", "namespace", "job", "cronjob", "serviceaccount"],
  };
  const TYPES = ["pods", "deployments", "replicasets", "services", "configmaps", "secrets", "endpoints",
    "endpointslices", "events", "jobs", "cronjobs", "statefulsets", "daemonsets", "ingresses", "namespaces", "nodes",
    "serviceaccounts", "persistentvolumeclaims", "horizontalpodautoscalers", "networkpolicies", "all"];
  // What the resource view marks (data-kind) for each way of naming a type.
  const KIND_OF = { pod: "Pod", pods: "Pod", po: "Pod", deployment: "Deployment", deployments: "Deployment",
    deploy: "Deployment", service: "Service", services: "Service", svc: "Service", configmap: "ConfigMap",
    configmaps: "ConfigMap", cm: "ConfigMap", secret: "Secret", secrets: "Secret", replicaset: "ReplicaSet",
    replicasets: "ReplicaSet", rs: "ReplicaSet" };
  const TAKES_TYPE = ["get", "describe", "delete", "label", "annotate", "patch", "explain", "scale", "expose",
    "wait", "status", "history", "undo", "restart", "pause", "resume", "image", "env", "resources", "autoscale"];

  function distance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  function closest(word, choices) {
    let best = null, score = 3;
    choices.forEach((c) => { const s = distance(word, c); if (s < score) { score = s; best = c; } });
    return word.length >= 3 && score <= 2 ? best : null;
  }

  // A corrected command, or null when nothing looks mistyped.
  function correction(command) {
    const words = command.trim().split(/\s+/);
    if (!words[0]) return null;
    let changed = false;
    if (words[0] !== "kubectl") {
      const fix = closest(words[0].toLowerCase(), ["kubectl"]);
      if (!fix) return null;
      words[0] = fix; changed = true;
    }
    if (words[1] && !words[1].startsWith("-") && !VERBS.includes(words[1])) {
      const fix = closest(words[1].toLowerCase(), VERBS);
      if (fix) { words[1] = fix; changed = true; }
    }
    return changed ? words.join(" ") : null;
  }

  function namesOf(kind) {
    const seen = new Set();
    document.querySelectorAll('.ws-resources [data-kind="' + kind + '"][data-name]').forEach((el) => seen.add(el.dataset.name));
    return [...seen];
  }

  function candidates(words) {
    const i = words.length - 1, word = words[i];
    if (i === 0) return ["kubectl"];
    if (i === 1) return VERBS;
    const verb = words[1];
    if (i === 2 && SUB[verb]) return SUB[verb];
    const typeAt = SUB[verb] && verb !== "create" ? 3 : 2;
    if (!TAKES_TYPE.includes(words[typeAt - 1]) && !TAKES_TYPE.includes(verb)) return [];
    if (i === typeAt) {
      if (word.includes("/")) {
        const [type] = word.split("/");
        return KIND_OF[type] ? namesOf(KIND_OF[type]).map((n) => type + "/" + n) : [];
      }
      return TYPES;
    }
    if (i === typeAt + 1 && KIND_OF[words[typeAt]]) return namesOf(KIND_OF[words[typeAt]]);
    return [];
  }

  function commonPrefix(list) {
    return list.reduce((p, w) => { while (!w.startsWith(p)) p = p.slice(0, -1); return p; });
  }

  function hintLine(input) {
    let line = input.form.parentElement.querySelector(".console-hint");
    if (!line) {
      line = document.createElement("div");
      line.className = "console-hint";
      line.setAttribute("role", "status");
      input.form.insertAdjacentElement("afterend", line);
    }
    return line;
  }

  function showHint(input, text, fix) {
    const line = hintLine(input);
    line.textContent = text;
    if (fix) {
      const use = document.createElement("button");
      use.type = "button";
      use.className = "link console-fix";
      use.textContent = "고쳐서 실행";
      use.addEventListener("click", () => { input.value = fix; hideHint(input); submit(input.form); });
      line.append(" ", use);
    }
  }
  function hideHint(input) { const line = input.form.parentElement.querySelector(".console-hint"); if (line) line.textContent = ""; }

  function complete(input) {
    const before = input.value.slice(0, input.selectionStart);
    const words = before.split(/\s+/);
    const word = words[words.length - 1];
    const matches = candidates(words).filter((c) => c.startsWith(word));
    if (!matches.length) return false;
    const extension = matches.length === 1 ? matches[0] + " " : commonPrefix(matches);
    input.value = before.slice(0, before.length - word.length) + extension + input.value.slice(input.selectionStart);
    const at = before.length - word.length + extension.length;
    input.setSelectionRange(at, at);
    if (matches.length > 1) showHint(input, "후보: " + matches.slice(0, 12).join("  ") + (matches.length > 12 ? " …" : ""));
    else hideHint(input);
    return true;
  }

  function submit(form) {
    if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
  }

  // Several pasted lines: one command after another, each when the previous one is done.
  function busy(form) {
    return form.classList.contains("htmx-request") || !!form.closest(".ws-console").querySelector(".console-entry.pending");
  }
  function runQueue(input) {
    const queue = input.pasteQueue || [];
    if (!queue.length) return;
    if (busy(input.form)) { setTimeout(() => runQueue(input), 150); return; }
    input.value = queue.shift();
    submit(input.form);
  }

  function setUp(input) {
    if (input.dataset.assist) return;
    input.dataset.assist = "1";
    const form = input.form;
    input.addEventListener("keydown", (event) => {
      if (event.key === "Tab" && !event.shiftKey && input.value.trim() && input.selectionStart === input.value.length) {
        // Tab only completes; with nothing to complete it moves focus as usual (no trap).
        if (complete(input)) event.preventDefault();
      } else if (event.key === "Escape") {
        hideHint(input);
      }
    });
    input.addEventListener("paste", (event) => {
      const text = (event.clipboardData || window.clipboardData).getData("text");
      if (!text || !/\n/.test(text.trim())) return;
      event.preventDefault();
      const lines = text.split(/\r?\n/).map((l) => l.replace(/^\s*\$\s+/, "").trim()).filter((l) => l && !l.startsWith("#"));
      if (!lines.length) return;
      showHint(input, lines.length + "줄을 한 줄씩 실행합니다.");
      input.pasteQueue = (input.pasteQueue || []).concat(lines);
      runQueue(input);
    });
    form.addEventListener("htmx:beforeRequest", (event) => {
      if (event.detail.elt !== form) return;
      const fix = correction(input.value);
      if (!fix) return;
      event.preventDefault();
      input.pasteQueue = [];
      showHint(input, "혹시 '" + fix + "'을(를) 입력하려고 하셨나요?", fix);
    });
    form.addEventListener("htmx:afterRequest", () => {
      if (input.pasteQueue && input.pasteQueue.length) setTimeout(() => runQueue(input), 50);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const scan = () => document.querySelectorAll(".console-input").forEach(setUp);
    scan();
    document.body.addEventListener("htmx:afterSettle", scan);
  });
  window.kubaeumConsoleCorrection = correction;
})();

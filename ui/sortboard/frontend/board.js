/* The sort board: cards in lanes; drag a card to another lane (mouse, touch: SortableJS), or
 * with the keyboard (Space or Enter picks a card up, the arrows choose a lane, Enter puts it
 * down, Escape stops). Every move goes to Streamlit as {seq, item, to}; a screen reader hears
 * each step in the texts Python passes (Dutch, from the messages module).
 * In order mode (``order``: one lane, the werkvorm editor's sections) a card moves to another place
 * in its own lane instead: dragged, or picked up and moved with the arrows; the move goes to
 * Streamlit as {seq, item, to, index} and a screen reader hears the place ("plaats 2 van 5").
 *
 * Streamlit's custom-component protocol (v1) is spoken directly with postMessage: the page
 * sends "streamlit:render" with the arguments, the board answers with its height and values.
 * A redraw that arrives while a card is being moved waits until the move is over, and a
 * redraw keeps the scroll positions and the focused card.
 */
(function () {
  "use strict";
  const board = document.getElementById("board");
  const live = document.getElementById("live");
  const how = document.getElementById("how");
  let texts = {};
  let lanes = [];
  let drawn = "";          // the arguments drawn last (JSON)
  let pending = null;      // arguments that came in during a move
  let dragging = false;    // a mouse or touch drag is under way
  let grabbed = null;      // keyboard move: {card, from, target}
  let seq = 0;
  let ordering = false;    // order mode: places within one lane
  const sortables = [];

  function post(type, extra) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, extra), "*");
  }
  function say(key, item, lane) {
    const text = (texts[key] || "").split("{item}").join(item || "").split("{lane}").join(lane || "");
    live.textContent = "";
    window.setTimeout(() => { live.textContent = text; }, 30);  // a new text, also when it repeats
  }
  function laneOf(el) { return el.closest(".lane"); }
  function laneTitle(laneEl) { return laneEl ? laneEl.dataset.title : ""; }
  function cardText(card) { return card.dataset.text; }
  function laneUnder(event) {
    const point = event && event.changedTouches && event.changedTouches.length ? event.changedTouches[0] : event;
    if (!point || typeof point.clientX !== "number") return null;
    const el = document.elementFromPoint(point.clientX, point.clientY);
    return el ? laneOf(el) : null;
  }
  function laneEls() { return Array.from(board.querySelectorAll(".lane")); }

  function send(card, toLane, index) {
    seq += 1;
    drawn = "";  // the next drawing comes from the store, also when it refused the move
    const value = { seq: Date.now() + "-" + seq, item: Number(card.dataset.id), to: toLane.dataset.lane };
    if (typeof index === "number") value.index = index;
    post("streamlit:setComponentValue", { value: value, dataType: "json" });
  }
  function indexOf(card) { return Array.from(card.parentElement.children).indexOf(card); }
  function place(card) {  // "plaats 2 van 5", said in order mode where a lane's title would be
    return (texts.position || "{n}/{count}").split("{n}").join(String(indexOf(card) + 1))
      .split("{count}").join(String(card.parentElement.children.length));
  }

  // ------------------------------------------------------------------ drawing
  function child(parent, tag, cls, text) {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;  // user text is only ever text
    parent.appendChild(el);
    return el;
  }

  function makeCard(item) {
    const li = document.createElement("li");
    li.className = "card";
    li.dataset.id = String(item.id);
    li.dataset.text = item.text;
    li.tabIndex = -1;
    li.setAttribute("aria-roledescription", texts.card || "");
    li.setAttribute("aria-describedby", "how");
    li.title = item.text;
    child(li, "span", "text", item.text);
    if (item.badge) {
      const badge = child(li, "span", "badge", item.badge);
      if (item.badge_label) badge.setAttribute("aria-label", item.badge_label);
    }
    return li;
  }

  function makeLane(lane) {
    const box = document.createElement("section");
    box.className = "lane " + (lane.kind || "cluster");
    box.dataset.lane = lane.id;
    box.dataset.title = lane.title;
    const head = child(box, "h3");
    child(head, "span", "name", lane.title);
    if (lane.count) child(head, "span", "count", lane.count);
    const list = child(box, "ul");
    list.dataset.lane = lane.id;
    list.setAttribute("aria-label", lane.title);
    (lane.items || []).forEach((c) => list.appendChild(makeCard(
      { id: c[0], text: c[1], badge: c[2] || "", badge_label: c[3] || "" })));
    const first = list.querySelector("li");
    if (first) first.tabIndex = 0;
    if (lane.hint) child(box, "p", "hint", lane.hint);
    return box;
  }

  function draw(args) {
    const scroll = {};
    board.querySelectorAll("ul, .lanes").forEach((el) => {
      scroll[(el.dataset.lane || "lanes")] = el.scrollTop;
    });
    const focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("li.card") : null;
    const focusId = focused ? focused.dataset.id : null;
    texts = args.texts || {};
    lanes = args.lanes || [];
    ordering = !!args.order;
    how.textContent = texts.how || "";
    document.documentElement.lang = "nl";
    try { if (window.frameElement && texts.title) window.frameElement.title = texts.title; } catch (e) { /* other origin */ }
    sortables.splice(0).forEach((s) => s.destroy());
    board.textContent = "";
    board.style.setProperty("--board-h", (args.height || 400) + "px");
    const rest = lanes.filter((l) => l.kind === "rest" || l.kind === "order");
    const others = lanes.filter((l) => l.kind !== "rest" && l.kind !== "order");
    rest.forEach((l) => board.appendChild(makeLane(l)));
    const grid = document.createElement("div");
    grid.className = "lanes";
    grid.dataset.lane = "lanes";
    others.forEach((l) => grid.appendChild(makeLane(l)));
    if (others.length || !ordering) board.appendChild(grid);
    board.querySelectorAll("ul").forEach((list) => {
      sortables.push(new Sortable(list, {
        group: ordering ? "order" : "cards", sort: ordering, animation: 0, forceFallback: true,
        fallbackTolerance: 3, delay: 150, delayOnTouchOnly: true, scroll: true, bubbleScroll: true,
        onStart: () => { dragging = true; cancelGrab(false); },
        onEnd: (evt) => {
          dragging = false;
          const card = evt.item;
          if (ordering) {
            if (evt.oldIndex !== evt.newIndex) {
              send(card, laneOf(card), evt.newIndex);
              say("dropped", cardText(card), place(card));
            }
            later();
            return;
          }
          const from = laneOf(evt.from);
          let to = laneOf(evt.to);
          // The lane under the pointer when it lets go counts, its heading and hint too (SortableJS
          // only knows the lists of cards, and the last list the card passed over).
          const under = laneUnder(evt.originalEvent);
          if (under && under !== to) {
            to = under;
            to.querySelector("ul").appendChild(card);
          }
          if (to && from !== to) {
            send(card, to);
            say("dropped", cardText(card), laneTitle(to));
          }
          later();
        },
      }));
    });
    board.querySelectorAll("ul, .lanes").forEach((el) => {
      const top = scroll[(el.dataset.lane || "lanes")];
      if (top) el.scrollTop = top;
    });
    if (focusId) {
      const again = board.querySelector('li.card[data-id="' + focusId + '"]');
      if (again) { roving(again); again.focus({ preventScroll: true }); }
    }
    post("streamlit:setFrameHeight", { height: (args.height || 400) + 6 });
  }

  function later() {
    if (pending && !dragging && !grabbed) {
      const args = pending;
      pending = null;
      draw(args);
    }
  }

  // ------------------------------------------------------------------ keyboard
  function roving(card) {
    const list = card.parentElement;
    list.querySelectorAll("li.card").forEach((li) => { li.tabIndex = -1; });
    card.tabIndex = 0;
  }
  function mark(target) {
    laneEls().forEach((el) => el.classList.toggle("target", el === target));
  }
  function cancelGrab(tell) {
    if (!grabbed) return;
    const g = grabbed;
    grabbed = null;
    g.card.classList.remove("grabbed");
    g.card.removeAttribute("aria-pressed");
    mark(null);
    if (ordering && typeof g.start === "number" && indexOf(g.card) !== g.start) {  // back to its place
      const list = g.card.parentElement;
      list.removeChild(g.card);
      list.insertBefore(g.card, list.children[g.start] || null);
      g.card.focus();
    }
    if (tell) say("cancelled", cardText(g.card), ordering ? place(g.card) : laneTitle(g.from));
    later();
  }
  function drop() {
    const g = grabbed;
    if (!g) return;
    if (ordering) {
      if (indexOf(g.card) === g.start) { cancelGrab(true); return; }
      grabbed = null;
      g.card.classList.remove("grabbed");
      g.card.removeAttribute("aria-pressed");
      g.card.focus();
      send(g.card, g.from, indexOf(g.card));
      say("dropped", cardText(g.card), place(g.card));
      later();
      return;
    }
    if (g.target === g.from) { cancelGrab(true); return; }
    grabbed = null;
    g.card.classList.remove("grabbed");
    g.card.removeAttribute("aria-pressed");
    mark(null);
    const list = g.target.querySelector("ul");
    list.appendChild(g.card);
    roving(g.card);
    g.card.focus();
    send(g.card, g.target);
    say("dropped", cardText(g.card), laneTitle(g.target));
    later();
  }

  board.addEventListener("focusin", (e) => {
    const card = e.target.closest && e.target.closest("li.card");
    if (card) roving(card);
  });
  board.addEventListener("focusout", (e) => {
    if (grabbed && !board.contains(e.relatedTarget)) cancelGrab(true);
  });
  board.addEventListener("keydown", (e) => {
    const card = e.target.closest && e.target.closest("li.card");
    if (!card) return;
    const key = e.key;
    if (grabbed && ordering) {
      if (key === "ArrowUp" || key === "ArrowDown") {
        e.preventDefault();
        const list = card.parentElement;
        // the neighbour moves, not the card: moving the focused card would take its focus away
        const before = card.previousElementSibling, after = card.nextElementSibling;
        if (key === "ArrowUp" && before) list.insertBefore(before, after);
        else if (key === "ArrowDown" && after) list.insertBefore(after, card);
        say(indexOf(card) === grabbed.start ? "back" : "over", cardText(card), place(card));
      } else if (key === "Enter" || key === " ") { e.preventDefault(); drop(); }
      else if (key === "Escape") { e.preventDefault(); cancelGrab(true); }
      else if (key === "Tab") { cancelGrab(true); }
      return;
    }
    if (grabbed) {
      const all = laneEls();
      let i = all.indexOf(grabbed.target);
      if (key === "ArrowRight" || key === "ArrowDown") i = (i + 1) % all.length;
      else if (key === "ArrowLeft" || key === "ArrowUp") i = (i - 1 + all.length) % all.length;
      else if (key === "Enter" || key === " ") { e.preventDefault(); drop(); return; }
      else if (key === "Escape") { e.preventDefault(); cancelGrab(true); return; }
      else if (key === "Tab") { cancelGrab(true); return; }
      else return;
      e.preventDefault();
      grabbed.target = all[i];
      mark(grabbed.target);
      say(grabbed.target === grabbed.from ? "back" : "over", cardText(card), laneTitle(grabbed.target));
      return;
    }
    if (key === "Enter" || key === " ") {
      e.preventDefault();
      grabbed = { card: card, from: laneOf(card), target: laneOf(card), start: indexOf(card) };
      card.classList.add("grabbed");
      card.setAttribute("aria-pressed", "true");
      if (!ordering) mark(grabbed.target);
      say("picked", cardText(card), ordering ? place(card) : laneTitle(grabbed.from));
    } else if (key === "ArrowDown" || key === "ArrowUp") {
      e.preventDefault();
      const next = key === "ArrowDown" ? card.nextElementSibling : card.previousElementSibling;
      if (next) { roving(next); next.focus(); }
    }
  });

  // ------------------------------------------------------------------ protocol
  window.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type !== "streamlit:render") return;
    const args = data.args || {};
    const key = JSON.stringify([args.lanes, args.texts, args.height, !!args.order]);
    if (key === drawn) return;
    drawn = key;
    if (dragging || grabbed) { pending = args; return; }
    draw(args);
  });
  post("streamlit:componentReady", { apiVersion: 1 });
})();

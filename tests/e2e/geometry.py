"""Element geometry measured in the browser, shared by the screen-fit and the phone tests.

``HELPERS`` is JavaScript that defines small functions (``visible``, ``ownText``, ``name``, ``clippedText``)
in the page function it is put in front of; ``measure(helpers_body)`` makes such a page function.
"""

from __future__ import annotations

#: Functions every measurement uses; the body of a page function follows them.
HELPERS = r"""
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                            return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
  const name = (el) => `${el.tagName}.${String(el.className.baseVal ?? el.className).slice(0, 40)} "${el.textContent.trim().slice(0, 40)}"`;
  const clippedText = (el) => { const s = getComputedStyle(el);
    return s.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1 && !(el instanceof SVGElement); };
"""


def measure(body: str, args: str = "") -> str:
    """A page function for ``page.evaluate``: the shared helpers, then ``body``."""
    return f"({args}) => {{{HELPERS}\n{body}\n}}"


#: A phone page at its size: the horizontal scroll, the header (Streamlit's, if any) and who you are, every
#: touch target that is smaller than 44x44 px (the clickable element's box: a button, a radio or checkbox's
#: label, a link, an expander's summary, a select), and text cut off inside its box.
PHONE = measure(r"""
  const W = innerWidth, out = {small: [], clipped: []};
  out.scrollWidth = document.documentElement.scrollWidth;
  out.width = W;
  const header = document.querySelector('header[data-testid="stHeader"]');
  out.headerBottom = header && visible(header) ? header.getBoundingClientRect().bottom : 0;
  const who = document.querySelector('.ss-greeting');
  out.greeting = who ? {top: who.getBoundingClientRect().top, text: who.textContent.trim(), shown: visible(who)} : null;
  const main = document.querySelector('[data-testid="stMain"]');
  const targets = new Set();
  for (const el of main.querySelectorAll('button, a[href], summary, [role="radio"], [role="checkbox"], [role="combobox"]')) {
    if (el.matches('input')) targets.add(el.closest('label') || el);  /* a radio or checkbox: its label takes the tap */
    else if (el.closest('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]') && !el.matches('[aria-label="Open"]'))
      targets.add(el.closest('[role="group"]') || el);  /* a select: its whole field takes the tap */
    else targets.add(el);
  }
  for (const input of main.querySelectorAll('input[type="checkbox"], input[type="radio"]')) targets.add(input.closest('label') || input);
  out.targets = 0;
  for (const el of targets) {
    if (!visible(el)) continue;
    out.targets += 1;
    const r = el.getBoundingClientRect();
    if (r.width < 44 - 0.5 || r.height < 44 - 0.5) out.small.push(name(el) + ` ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  for (const el of main.querySelectorAll('*')) {
    if (visible(el) && ownText(el) && clippedText(el)) out.clipped.push(name(el));
  }
  return out;
""")

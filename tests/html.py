"""Assertions scoped to one element of a page, not to any text anywhere on it."""

import re

from django.test.html import Element, parse_html

SELECTOR = re.compile(r"^(?P<tag>[a-z0-9]+)?(?:#(?P<id>[\w-]+))?(?P<classes>(?:\.[\w-]+)*)$")


def _matches(element: Element, tag, id_, classes) -> bool:
    attributes = dict(element.attributes)
    if tag and element.name != tag:
        return False
    if id_ and attributes.get("id") != id_:
        return False
    present = set((attributes.get("class") or "").split())
    return classes <= present


def _walk(element):
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


def select(html, selector: str) -> list[Element]:
    """Elements matching `tag`, `#id`, `.class`, `tag#id.class...` (one step, no nesting)."""
    found = SELECTOR.match(selector)
    if found is None:
        raise ValueError(f"unsupported selector {selector!r}")
    tag, id_ = found["tag"], found["id"]
    classes = {c for c in (found["classes"] or "").split(".") if c}
    root = parse_html(html) if isinstance(html, str) else html
    candidates = [root, *_walk(root)] if isinstance(root, Element) else []
    return [e for e in candidates if e.name and _matches(e, tag, id_, classes)]


def one(html, selector: str) -> Element:
    found = select(html, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def text(element: Element) -> str:
    """The element's text, whitespace collapsed."""
    parts = []
    for child in element.children:
        parts.append(text(child) if isinstance(child, Element) else str(child))
    return " ".join(" ".join(parts).split())


def attribute(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)

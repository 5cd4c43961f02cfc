"""The module contract: how a module plugs itself into OpenQMS.

Every installed app under `openqms.` may have a `module.py` holding one `module =
Module(...)`; core imports it at start (like Wagtail's `wagtail_hooks.py`) and everything
the module adds to the whole comes from there: URLs, API router, navigation entries, My
tasks providers, signing gates, hooks offered and listened to, periodic jobs, demo steps,
the audit trail's names of its records (and, by importing its `registry.py`, its
permission codes and event types). Adding a module touches no central file but
INSTALLED_APPS; docs/adding-a-module.md is the checklist.

Tests add and remove a module with `temporarily(Module(...))`, never by editing the lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import clear_url_caches, include, path

from openqms.core.requirements import Requirement, find

if TYPE_CHECKING:  # integrity imports this module
    from openqms.core.integrity import Finding

# Core's email sender runs after every other job: reminders are queued before mail goes.
LAST = 1000


@dataclass(frozen=True)
class NavEntry:
    """A link in the main navigation; shown to who holds `permission` (None: everyone
    signed in). Lower `order` comes first; core's own entries use 10 and 90+."""

    label: str
    url_name: str
    permission: str | None = None
    order: int = 50
    # Entries sharing a group are shown together under one menu named by the group
    # ("Training": matrix, people, job roles…); "" is a link of its own in the bar.
    group: str = ""


@dataclass(frozen=True)
class Job:
    """A periodic job of `openqms tick`: `run()` returns one line saying what it did.
    Jobs run by ascending `order` (then name); each does its own transactions."""

    name: str
    run: Callable[[], str]
    order: int = 50


@dataclass(frozen=True)
class DemoStep:
    """Seeds demo records after the demo users exist; must be idempotent. Steps run by
    ascending `order` (training's demo needs documents' effective procedures)."""

    name: str
    run: Callable[[], None]
    order: int = 50


@dataclass(frozen=True)
class RecordRef:
    """What the audit trail shows of one record to one viewer: its name as people say it
    ("WI-007 rev A", "User jsmith"), a link to it ("" when the viewer has no page for it),
    and whether the viewer may read what its events say. An event of a record the viewer
    cannot open shows only that it happened (when, what, who), never its content (a
    draft's text stays with those who may open the draft)."""

    label: str
    url: str = ""
    readable: bool = True


@dataclass(frozen=True)
class Panel:
    """A box on the QMS dashboard (the qms module's page): a title, a small template
    rendered with `context`, a link to the whole list, and its place (lower first).
    Modules add panels through `Module.panels`; the dashboard asks each provider once."""

    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""
    order: int = 50


@dataclass(frozen=True)
class RecordClass:
    """A kind of record with one retention rule and one confidentiality class (ISO 13485
    4.2.5). The module proposes the rule; administrators change it (core.retention),
    never below `minimum_years`, the floor a regulation sets.

    `counted_from`: "closed" (years after the record was closed: a document withdrawn,
    an evaluation superseded), "end_of_support" or "last_placed" (years after its
    devices' end of support or last placing on the market). Whatever the rule, a record
    concerning a device is kept at least the device's lifetime and two years from its
    release. `years` 0 keeps the record for ever."""

    code: str  # "<label>.<name>", e.g. "suppliers.evaluation", "documents.type.sop"
    label: str  # "Supplier evaluations"
    object_type: str  # the audit trail's object type of its records ("suppliers.evaluation")
    years: int = 0
    counted_from: str = "closed"
    minimum_years: int = 0
    confidentiality: str = "internal"  # "internal", "confidential" or "health"
    # closed(ids) -> {id: the day the record was closed, or None while in use}, in a
    # constant number of queries: lets core's record page and disposal count retention for
    # any class. Without it a class's records stay kept (core cannot tell they closed).
    closed: Callable[[Sequence[str]], Mapping[str, dt.date | None]] | None = field(
        default=None, compare=False
    )
    # True when the module keeps its own holds and signed dispositions for this class
    # (documents, whose signed dispositions predate core's); core's generic ones refuse it.
    own_controls: bool = False
    # The model ("app.Model") holding the records when `object_type` names none, e.g.
    # "qms.DeviceFamily" for medical device files: holds and disposals find the record
    # there, while the trail keeps the class's own object type.
    model: str = ""


@dataclass(frozen=True)
class DeviceDates:
    """What retention needs of a device a record concerns (the devices module answers)."""

    device: str  # how people name it, for messages ("RhythmCheck 2.1")
    released: dt.date | None  # first placed on the market
    last_placed: dt.date | None  # last placed on the market (None: still placed)
    support_ended: dt.date | None
    lifetime_years: int | None


# device_dates(object_type, ids) -> {id: [DeviceDates]}: the devices each record concerns.
DeviceDatesOf = Callable[[str, Sequence[str]], Mapping[str, Sequence[DeviceDates]]]


# A record as the trail names it: (object_type "app.model", object_id as text).
RecordKey = tuple[str, str]
# records(viewer, keys) -> {key: RecordRef}: one call per page of the trail, a constant
# number of queries however many keys; keys it does not know are left out.
RecordNamer = Callable[[Any, Sequence[RecordKey]], Mapping[RecordKey, RecordRef]]
# record_search(viewer, text) -> [(object_type, queryset of object ids as text)]: the
# module's records the typed text names (a number, a title, a person) that the viewer
# may open; the trail's "Record" filter asks every module.
RecordSearch = Callable[[Any, str], Sequence[tuple[str, Any]]]


@dataclass(frozen=True)
class Module:
    label: str  # the app label; it prefixes the module's codes ("documents.…")
    urls: str = ""  # dotted path of a urls module (with app_name), mounted at url_prefix
    url_prefix: str = ""  # e.g. "documents/"
    api: str = ""  # dotted path of a ninja Router, mounted at /api/v1/<api_prefix>
    api_prefix: str = ""  # e.g. "/documents"
    nav: Sequence[NavEntry] = ()
    context: Callable[[Any], dict] | None = None  # extra template context for every page
    tasks: Sequence[Callable[[Any], list]] = ()  # My tasks: provider(user) -> [Task]
    signing_gates: Sequence[Callable[[Any, Any, str], str | None]] = ()
    # My tasks: blocker(user, [(record, meaning), …]) -> [(why, url) or None, …], one answer
    # per task that says what it would sign (core.inbox.Task.signs), in a fixed number of
    # queries however many tasks: what keeps the user from signing, and where to fix it.
    task_blockers: Sequence[Callable[[Any, Sequence[tuple[Any, str]]], list]] = ()
    offers: Sequence[str] = ()  # hook names this module fires ("documents.revision_effective")
    listens: Mapping[str, Callable[..., None]] = field(default_factory=dict)
    jobs: Sequence[Job] = ()
    demo: Sequence[DemoStep] = ()
    # PDFs a person reads without the software, for `openqms archive export`: (path inside
    # the archive's pdf/ folder, a function making the bytes), produced lazily. The
    # function must pickle (e.g. a functools.partial of a module-level function and
    # model instances): on PostgreSQL a worker process may run it.
    renderings: Callable[[], Iterator[tuple[str, Callable[[], bytes]]]] | None = None
    # `openqms verify`: checks comparing the module's rows with what the trail recorded
    reconcile: Sequence[Callable[[], Iterable[Finding]]] = ()
    # The audit trail: the names, links and readability of this module's records
    # (object types "<label>.<model>"), and which of them a typed text names.
    records: RecordNamer | None = None
    record_search: RecordSearch | None = None
    # The QMS dashboard: provider(user) -> [Panel], boxes this module adds to it.
    panels: Sequence[Callable[[Any], Sequence[Panel]]] = ()
    # Retention and confidentiality (ISO 13485 4.2.5): the classes of this module's
    # records (a function, so classes can come from configuration rows), and, from the
    # module that keeps devices, which devices a record concerns.
    record_classes: Callable[[], Iterable[RecordClass]] | None = None
    device_dates: DeviceDatesOf | None = None
    # {object type: [field names]}: fields holding health data, shown only to roles
    # granted it, every read recorded, masked in the trail and marked in exports.
    health_data: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # User requirements (ISO 13485 4.1.6): what the module promises, each with an id tests
    # name in `@pytest.mark.verifies(...)`; from `<module>/requirements.py`.
    requirements: Sequence[Requirement] = ()


_modules: dict[str, Module] = {}
_root_urlpatterns: list = []  # the list openqms/urls.py serves; rebuilt in place on change
_frame: tuple[list, list] = ([], [])


def register(module: Module) -> Module:
    if module.label in _modules:
        raise ImproperlyConfigured(f"module {module.label!r} registered twice")
    _modules[module.label] = module
    return module


def unregister(label: str) -> None:
    _modules.pop(label, None)


def autodiscover() -> None:
    """Import `<app>.module` for every installed app under openqms (called by core)."""
    for config in apps.get_app_configs():
        name = f"{config.name}.module"
        if not config.name.startswith("openqms.") or config.label in _modules:
            continue
        if find_spec(name) is None:
            continue
        module = getattr(import_module(name), "module", None)
        if not isinstance(module, Module):
            raise ImproperlyConfigured(f"{name} must define `module = Module(...)`")
        register(module)
    _check_hooks()


def _check_hooks() -> None:
    offered = {hook for m in _modules.values() for hook in m.offers}
    for m in _modules.values():
        unknown = set(m.listens) - offered
        if unknown:
            raise ImproperlyConfigured(
                f"module {m.label!r} listens to hooks no installed module offers: "
                f"{', '.join(sorted(unknown))}"
            )


def installed() -> list[Module]:
    return list(_modules.values())


@contextmanager
def temporarily(module: Module) -> Iterator[Module]:
    """Register `module` (its URLs mounted too) for the duration of a with block."""
    if module.api:
        raise ValueError("API routers are mounted once, at start; test them installed")
    register(module)
    try:
        _check_hooks()
        _remount()
        yield module
    finally:
        unregister(module.label)
        _remount()


# What core asks the registry.


def jobs() -> list[Job]:
    found = [job for m in _modules.values() for job in m.jobs]
    return sorted(found, key=lambda job: (job.order, job.name))


def demo_steps() -> list[DemoStep]:
    found = [step for m in _modules.values() for step in m.demo]
    return sorted(found, key=lambda step: (step.order, step.name))


def nav_entries() -> list[NavEntry]:
    found = [entry for m in _modules.values() for entry in m.nav]
    return sorted(found, key=lambda entry: (entry.order, entry.label))


def context_providers() -> list[Callable[[Any], dict]]:
    return [m.context for m in _modules.values() if m.context]


def task_providers() -> list[Callable[[Any], list]]:
    return [provider for m in _modules.values() for provider in m.tasks]


def signing_gates() -> list[Callable[[Any, Any, str], str | None]]:
    return [gate for m in _modules.values() for gate in m.signing_gates]


def record_refs(viewer: Any, keys: Iterable[RecordKey]) -> dict[RecordKey, RecordRef]:
    """What each record is called for `viewer`: one call per module owning some of the
    keys (the module whose label starts the object type); unknown keys are left out."""
    wanted: dict[str, list[RecordKey]] = {}
    for key in keys:
        wanted.setdefault(key[0].split(".", 1)[0], []).append(key)
    found: dict[RecordKey, RecordRef] = {}
    for label, owned in wanted.items():
        module = _modules.get(label)
        if module is not None and module.records is not None:
            found.update(module.records(viewer, owned))
    return found


def record_searches(viewer: Any, text: str) -> list[tuple[str, Any]]:
    """Every module's answer to the trail's "Record" filter for `text`."""
    return [
        found
        for m in _modules.values()
        if m.record_search is not None
        for found in m.record_search(viewer, text)
    ]


def dashboard_panels(user: Any) -> list[Panel]:
    found = [panel for m in _modules.values() for p in m.panels for panel in p(user)]
    return sorted(found, key=lambda panel: (panel.order, panel.title))


def record_classes() -> list[RecordClass]:
    found = [c for m in _modules.values() if m.record_classes for c in m.record_classes()]
    return sorted(found, key=lambda c: c.code)


def devices_of(object_type: str, ids: Sequence[str]) -> dict[str, list[DeviceDates]]:
    """The devices each record concerns, from every module that keeps devices."""
    found: dict[str, list[DeviceDates]] = {}
    for m in _modules.values():
        if m.device_dates is not None:
            for object_id, dates in m.device_dates(object_type, ids).items():
                found.setdefault(object_id, []).extend(dates)
    return found


def health_fields(object_type: str) -> tuple[str, ...]:
    """The fields of `object_type` that hold health data (none for most records)."""
    return tuple(f for m in _modules.values() for f in m.health_data.get(object_type, ()))


def task_blockers() -> list[Callable[[Any, Sequence[tuple[Any, str]]], list]]:
    return [blocker for m in _modules.values() for blocker in m.task_blockers]


def requirements() -> dict[str, tuple[Requirement, ...]]:
    """{module label: its requirements}, in registration order."""
    return {m.label: tuple(m.requirements) for m in _modules.values()}


def requirement(requirement_id: str) -> Requirement:
    """The registered requirement with this id, or LookupError naming it."""
    return find([r for m in _modules.values() for r in m.requirements], requirement_id)


def api_routers() -> list[tuple[str, str]]:
    return [(m.api_prefix or "/", m.api) for m in _modules.values() if m.api]


def fire(hook: str, *args: Any) -> None:
    """Call every listener of `hook` (inside the caller's transaction), in module order."""
    if not any(hook in m.offers for m in _modules.values()):
        raise LookupError(f"no installed module offers the hook {hook!r}")
    for m in list(_modules.values()):
        listener = m.listens.get(hook)
        if listener is not None:
            listener(*args)


def urlpatterns(*, before: list, after: list) -> list:
    """The root URLconf: `before`, every module's URLs (the one at "" last), `after`.

    The returned list is the one Django serves; `temporarily` rebuilds it in place."""
    _frame[0][:], _frame[1][:] = before, after
    _remount()
    return _root_urlpatterns


def _remount() -> None:
    mounted = sorted((m for m in _modules.values() if m.urls), key=lambda m: m.url_prefix == "")
    _root_urlpatterns[:] = [
        *_frame[0],
        *(path(m.url_prefix, include(m.urls)) for m in mounted),
        *_frame[1],
    ]
    clear_url_caches()

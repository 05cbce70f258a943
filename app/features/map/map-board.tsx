import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ConnectionBadge } from "~/features/live/connection-badge";
import { useLiveWorkspace, type LiveChangeBatch } from "~/features/live/use-live-workspace";
import { RESOURCE_CATEGORIES, resourceCategoryLabel } from "~/lib/categories";
import { label, localized, type Locale, type Messages } from "~/lib/i18n";
import type { LockInfo, PresenceEntry } from "~/lib/realtime/events";
import { createResource, fetchAllResources, fetchAreaCounts, fetchMapTasks, fetchResource, moveTask, updateResource, type SaveResult } from "./map-api";
import { mapMessages } from "./messages";
import {
  TASK_COLOUR,
  areaCountLabel,
  initialTaskLayer,
  mergeFetches,
  reduceTasks,
  visibleTasks,
  type AreaCount,
  type MapTask,
  type TaskAction,
  type TaskFetch,
  type TaskLayerState,
} from "./task-layer";
import {
  KIND_COLOURS,
  RESOURCE_KINDS,
  categoriesOf,
  countByKind,
  initialMapState,
  reduceMap,
  normalizeSearch,
  parseSelected,
  stepSelection,
  visibleResources,
  type MapAction,
  type MapEffect,
  type MapFilters,
  type MapResource,
  type MapState,
  type ResourceKind,
} from "./map-state";
import { MeetingPanel, type AgendaView } from "~/features/meeting/meeting-panel";
import { affectsAgenda, useLiveAgenda } from "~/features/meeting/use-live-agenda";
import { ChartLinks } from "~/features/meeting/chart-links";
import { useMeetingMode } from "~/features/meeting/use-meeting-mode";
import type { BaseMap, MapView } from "./base-map";
import type { MapArea, PinLock } from "./resource-map.client";

/** MapLibre touches `window`: loaded in the browser only, after the list (the list is the page). */
const ResourceMap = lazy(() => import("./resource-map.client"));

const INLINE_BASE: BaseMap = { kind: "inline" };

/** The presence board name of this page (docs/live-events.md). */
export const MAP_BOARD_NAME = "map";
/**
 * List rows rendered before "show more" (decision 068): with thousands of resources, rendering and
 * hydrating every row costs seconds; the map shows them all anyway. The selection is always rendered.
 */
const LIST_PAGE = 200;
/** Parallel resource refetches. */
const FETCH_CONCURRENCY = 6;

const lockTarget = (id: string) => `resource:${id}`;
const taskLockTarget = (id: string) => `task:${id}`;
/** Live task refetches wait this long to gather a burst of changes into one request. */
const TASK_FETCH_DELAY_MS = 120;

export interface MapBoardProps {
  workspaceId: string;
  initialVersion: number;
  initialResources: MapResource[];
  areas: MapArea[];
  /** Organizations in which the caller may write resources (`write:resource:own`). */
  writableOrgs: Array<{ id: string; name: string }>;
  selfUserId: string;
  initialSelected: string | null;
  /** `?view=`: open the map at this viewport instead of fitting the workspace. */
  initialView?: MapView | null;
  /** The base map under our layers (decision 065). @default inline style */
  baseMap?: BaseMap;
  /** Meeting mode's agenda (decision 067); null: not shown. */
  agenda?: AgendaView | null;
  /** May lead a meeting (any role but VIEWER). */
  canLead?: boolean;
  /** The task layer (decision 070): open, located tasks the caller may see. */
  initialTasks?: MapTask[];
  /** Organizations in which the caller may write tasks (`write:task:own`): their tasks' pins move. */
  taskWritableOrgIds?: string[];
  /** `?task=`: the task selected on load. */
  initialSelectedTask?: string | null;
  /** The workspace slug (links to a task's mosaic). */
  slug?: string;
  locale: Locale;
  t: Messages;
}

/** The position form of a resource or task pin. */
interface PositionEditing {
  id: string;
  lat: string;
  lng: string;
  /** The version the person saw when opening the form. */
  expectedVersion: number;
}

interface FieldsEditing {
  id: string;
  name: string;
  nameEn: string;
  category: string;
  description: string;
  address: string;
  expectedVersion: number;
}

interface Draft {
  kind: ResourceKind;
  category: string;
  name: string;
  lat: string;
  lng: string;
  ownerOrgId: string;
}

const coordinate = (text: string, max: number): number | null => {
  const value = Number(text.trim());
  return text.trim() !== "" && Number.isFinite(value) && Math.abs(value) <= max ? value : null;
};

/** The typed position of a form, or null when either coordinate is not a valid number. */
const parsePosition = (form: { lat: string; lng: string }): { lat: number; lng: number } | null => {
  const lat = coordinate(form.lat, 90);
  const lng = coordinate(form.lng, 180);
  return lat === null || lng === null ? null : { lat, lng };
};

type LockApi = { current: { acquireLock(target: string, kind: "editing"): unknown; releaseLock(target: string): unknown } };

/**
 * The edit form of one pin: opening it takes the pin's soft lock ("editing", which the other
 * maps show), closing it frees the lock, and selecting another pin closes it. One hook for the
 * resource position, resource fields and task position forms.
 */
function usePinForm<T extends { id: string }>(lockTargetOf: (id: string) => string, selectedId: string | null, live: LockApi) {
  const [form, setForm] = useState<T | null>(null);
  const open = useCallback(
    (value: T) => {
      setForm(value);
      void live.current.acquireLock(lockTargetOf(value.id), "editing");
    },
    [lockTargetOf, live],
  );
  const close = useCallback(() => {
    setForm((current) => {
      if (current) void live.current.releaseLock(lockTargetOf(current.id));
      return null;
    });
  }, [lockTargetOf, live]);
  useEffect(() => {
    if (form && form.id !== selectedId) close();
  }, [selectedId, form, close]);
  return [form, setForm, open, close] as const;
}

/**
 * The workspace's resource map board. Pure state in ./map-state (reduceMap); this component feeds
 * it the loader's resources, live changes (useLiveWorkspace, refetching changed ids) and save
 * answers, and carries out its effects. The list is the primary content; the map (lazy, client
 * only) mirrors it. Edits go over REST with `expectedVersion`; a 409 shows the current resource.
 */
export function MapBoard({
  workspaceId,
  initialVersion,
  initialResources,
  areas,
  writableOrgs,
  selfUserId,
  initialSelected,
  initialView = null,
  baseMap = INLINE_BASE,
  agenda = null,
  canLead = false,
  initialTasks = [],
  taskWritableOrgIds = [],
  initialSelectedTask = null,
  slug = "",
  locale,
  t,
}: MapBoardProps) {
  const m = mapMessages(locale);
  const stateRef = useRef<MapState>();
  if (!stateRef.current) stateRef.current = initialMapState(initialVersion, initialResources);
  const [state, setState] = useState<MapState>(stateRef.current);
  const [kinds, setKinds] = useState<ReadonlySet<ResourceKind>>(() => new Set(RESOURCE_KINDS));
  const [category, setCategory] = useState("");
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<string | null>(initialSelected);
  const [draft, setDraft] = useState<Draft>(() => ({ kind: "PLACE", category: RESOURCE_CATEGORIES[0].code, name: "", lat: "", lng: "", ownerOrgId: writableOrgs[0]?.id ?? "" }));
  const [placing, setPlacing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);

  const announce = useCallback((message: string) => {
    setAnnouncement("");
    window.setTimeout(() => setAnnouncement(message), 30);
  }, []);

  // ───── state + effects ─────
  const runEffectsRef = useRef<(effects: MapEffect[]) => void>(() => {});
  const dispatch = useCallback((action: MapAction) => {
    const result = reduceMap(stateRef.current!, action);
    stateRef.current = result.state;
    setState(result.state);
    if (result.effects.length > 0) runEffectsRef.current(result.effects);
  }, []);
  useEffect(() => {
    runEffectsRef.current = (effects) => {
      for (const effect of effects) {
        const queue = [...effect.ids];
        const worker = async () => {
          for (let id = queue.shift(); id; id = queue.shift()) {
            const result = await fetchResource(id);
            if (result.status === "ok") dispatch({ type: "fetched", resource: result.resource });
            else if (result.status === "missing") dispatch({ type: "missing", id });
          }
        };
        for (let i = 0; i < Math.min(FETCH_CONCURRENCY, queue.length); i++) void worker();
      }
    };
  }, [dispatch]);
  const reload = useCallback(async () => {
    const resources = await fetchAllResources(workspaceId);
    if (resources) dispatch({ type: "loaded", version: stateRef.current!.version, resources });
  }, [dispatch, workspaceId]);

  // ───── the task layer (decision 070): its own pure state, refetches gathered into one ─────
  const taskRef = useRef<TaskLayerState>();
  if (!taskRef.current) taskRef.current = initialTaskLayer(initialTasks);
  const [taskState, setTaskState] = useState<TaskLayerState>(taskRef.current);
  const pendingTaskFetch = useRef<TaskFetch | null>(null);
  const taskTimer = useRef<number | null>(null);
  const dispatchTasks = useCallback(
    (action: TaskAction) => {
      const result = reduceTasks(taskRef.current!, action);
      taskRef.current = result.state;
      setTaskState(result.state);
      for (const effect of result.effects) {
        pendingTaskFetch.current = mergeFetches(pendingTaskFetch.current, effect);
        if (taskTimer.current !== null) continue;
        taskTimer.current = window.setTimeout(async () => {
          taskTimer.current = null;
          const request = pendingTaskFetch.current;
          pendingTaskFetch.current = null;
          if (!request) return;
          const ids = "all" in request ? undefined : request.ids;
          const tasks = await fetchMapTasks(workspaceId, ids);
          if (tasks) dispatchTasks({ type: "fetched", tasks, requested: ids ?? "all" });
        }, TASK_FETCH_DELAY_MS);
      }
    },
    [workspaceId],
  );
  useEffect(() => () => void (taskTimer.current !== null && window.clearTimeout(taskTimer.current)), []);
  const [showTasks, setShowTasks] = useState(true);

  // ───── resident counts per area: fetched only while the layer is on (off by default) ─────
  const [showCounts, setShowCounts] = useState(false);
  const [areaCounts, setAreaCounts] = useState<AreaCount[] | "loading" | "error">("loading");
  const showCountsRef = useRef(showCounts);
  showCountsRef.current = showCounts;
  const loadCounts = useCallback(async () => {
    const counts = await fetchAreaCounts(workspaceId);
    if (showCountsRef.current) setAreaCounts(counts ?? "error");
  }, [workspaceId]);
  useEffect(() => {
    if (showCounts) void loadCounts();
    else setAreaCounts("loading");
  }, [showCounts, loadCounts]);

  // ───── live connection ─────
  const liveAgenda = useLiveAgenda(agenda, workspaceId);
  const refreshAgenda = liveAgenda.refresh;
  const onChanges = useCallback(
    (batch: LiveChangeBatch) => {
      dispatch({ type: "changes", changes: batch.changes, selfUserId });
      dispatchTasks({ type: "changes", changes: batch.changes, selfUserId });
      if (showCountsRef.current && batch.changes.some((c) => c.entity === "resident")) void loadCounts();
      if (affectsAgenda(batch)) refreshAgenda();
    },
    [dispatch, dispatchTasks, selfUserId, loadCounts, refreshAgenda],
  );
  const onReset = useCallback(() => {
    void reload();
    void fetchMapTasks(workspaceId).then((tasks) => tasks && dispatchTasks({ type: "fetched", tasks, requested: "all" }));
    if (showCountsRef.current) void loadCounts();
    refreshAgenda();
  }, [reload, dispatchTasks, workspaceId, loadCounts, refreshAgenda]);
  const live = useLiveWorkspace({ workspaceId, initialVersion, board: MAP_BOARD_NAME, onChanges, onReset });
  const meeting = useMeetingMode({ live, board: MAP_BOARD_NAME, selfUserId, onFollowStopped: () => announce(t.meetingFollowStopped) });
  /** An agenda item to look at; following the facilitator takes precedence. */
  const [focus, setFocus] = useState<MapView | null>(null);
  const liveRef = useRef(live);
  liveRef.current = live;

  const lockOf = useCallback(
    (id: string): LockInfo | null => {
      const lock = live.locks[lockTarget(id)];
      return lock && lock.holder.userId !== selfUserId ? lock : null;
    },
    [live.locks, selfUserId],
  );

  // ───── selection (mirrored in ?selected= without a navigation: no loader reruns) ─────
  // A resource or a task is selected, never both: `?selected=` or `?task=`.
  const [selectedTask, setSelectedTask] = useState<string | null>(initialSelected ? null : parseSelected(initialSelectedTask));
  const select = useCallback((id: string | null) => {
    setSelected(id);
    if (id) setSelectedTask(null);
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("selected", id);
    else url.searchParams.delete("selected");
    if (id) url.searchParams.delete("task");
    window.history.replaceState(window.history.state, "", url);
  }, []);
  const selectTask = useCallback((id: string | null) => {
    setSelectedTask(id);
    if (id) setSelected(null);
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("task", id);
    else url.searchParams.delete("task");
    if (id) url.searchParams.delete("selected");
    window.history.replaceState(window.history.state, "", url);
  }, []);

  // ───── view ─────
  const filters = useMemo<MapFilters>(() => ({ kinds, category: category || null, query }), [kinds, category, query]);
  const shown = useMemo(() => visibleResources(state, filters), [state, filters]);
  const [rowLimit, setRowLimit] = useState(LIST_PAGE);
  const selectedIndex = useMemo(() => (selected ? shown.findIndex((r) => r.id === selected) : -1), [shown, selected]);
  // Rows up to the limit, and further when the selection (a deep link, End, ↓) is further down.
  const rows = useMemo(() => shown.slice(0, Math.max(rowLimit, selectedIndex + 1)), [shown, rowLimit, selectedIndex]);
  const all = useMemo(() => Object.values(state.resources), [state.resources]);
  const counts = useMemo(() => countByKind(all), [all]);
  const categories = useMemo(() => categoriesOf(all), [all]);
  const chosen = selected ? state.resources[selected] : undefined;
  const canEdit = useCallback((r: MapResource) => writableOrgs.some((o) => o.id === r.ownerOrgId), [writableOrgs]);
  const name = useCallback((r: MapResource) => localized(locale, r.name, r.nameEn), [locale]);
  const others = useMemo(() => {
    const seen = new Map<string, PresenceEntry>();
    for (const p of live.present) if (p.board === MAP_BOARD_NAME && p.userId !== selfUserId && !seen.has(p.userId)) seen.set(p.userId, p);
    return [...seen.values()];
  }, [live.present, selfUserId]);
  const names = useMemo(() => new Map(live.present.map((p) => [p.userId, p.displayName])), [live.present]);
  const pinLocks = useMemo<PinLock[]>(() => {
    const out: PinLock[] = [];
    for (const lock of Object.values(live.locks)) {
      if (lock.holder.userId === selfUserId) continue;
      if (lock.target.startsWith("resource:")) {
        const r = state.resources[lock.target.slice("resource:".length)];
        if (r) out.push({ id: r.id, lat: r.lat, lng: r.lng, name: lock.holder.displayName, colour: lock.holder.colour });
      } else if (lock.target.startsWith("task:")) {
        const task = taskState.tasks[lock.target.slice("task:".length)];
        if (task) out.push({ id: task.id, lat: task.lat, lng: task.lng, name: lock.holder.displayName, colour: lock.holder.colour });
      }
    }
    return out;
  }, [live.locks, selfUserId, state.resources, taskState.tasks]);
  const shownTasks = useMemo(() => (showTasks ? visibleTasks(taskState, query, normalizeSearch) : []), [showTasks, taskState, query]);
  const taskName = useCallback((task: MapTask) => localized(locale, task.title, task.titleEn), [locale]);
  const chosenTask = selectedTask ? taskState.tasks[selectedTask] : undefined;
  const canMoveTask = useCallback((task: MapTask) => taskWritableOrgIds.includes(task.ownerOrgId), [taskWritableOrgIds]);
  const taskLockOf = useCallback(
    (id: string): LockInfo | null => {
      const lock = live.locks[taskLockTarget(id)];
      return lock && lock.holder.userId !== selfUserId ? lock : null;
    },
    [live.locks, selfUserId],
  );
  const when = useCallback(
    (startsAt: string, endsAt: string) => {
      const tag = locale === "ja" ? "ja-JP" : "en-US";
      const day = new Date(startsAt).toLocaleDateString(tag, { month: "numeric", day: "numeric", weekday: "short", timeZone: "Asia/Tokyo" });
      const time = (iso: string) => new Date(iso).toLocaleTimeString(tag, { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Tokyo" });
      return `${day} ${time(startsAt)}–${time(endsAt)}`;
    },
    [locale],
  );
  const areaCountMarkers = useMemo(
    () => (showCounts && Array.isArray(areaCounts) ? areaCounts.map((c) => ({ areaId: c.areaId, lat: c.lat, lng: c.lng, label: areaCountLabel(c, locale) })) : []),
    [showCounts, areaCounts, locale],
  );

  // ───── writes ─────
  const afterSave = useCallback(
    (id: string, result: SaveResult, attempted: { lat: number; lng: number } | null) => {
      if (result.ok) {
        dispatch({ type: "saved", resource: result.resource });
        setError(null);
        return true;
      }
      if (result.code === "conflict") {
        dispatch({ type: "conflict", id, current: result.current ?? null, attempted });
        announce(t.mapConflictAnnounce);
      } else {
        setError(t.mapSaveError(result.code));
        announce(t.mapSaveError(result.code));
        runEffectsRef.current([{ type: "fetch", ids: [id] }]); // put the pin back where the server has it
      }
      return false;
    },
    [announce, dispatch, t],
  );

  const movePin = useCallback(
    async (id: string, lat: number, lng: number, expectedVersion: number) => {
      setBusy(true);
      const result = await updateResource(id, expectedVersion, { lat, lng });
      setBusy(false);
      const ok = afterSave(id, result, { lat, lng });
      if (ok) announce(t.mapMoved);
      return ok;
    },
    [afterSave, announce, t],
  );

  const [editing, setEditing, openEditing, closeEdit] = usePinForm<PositionEditing>(lockTarget, selected, liveRef);
  const openEdit = (r: MapResource) => openEditing({ id: r.id, lat: String(r.lat), lng: String(r.lng), expectedVersion: r.version });

  const submitEdit = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const position = parsePosition(editing);
    if (!position) {
      setError(t.mapInvalidCoordinates);
      return;
    }
    if (await movePin(editing.id, position.lat, position.lng, editing.expectedVersion)) closeEdit();
  };

  const archive = async (r: MapResource) => {
    if (!window.confirm(t.mapArchiveConfirm(name(r)))) return;
    setBusy(true);
    const result = await updateResource(r.id, editing?.id === r.id ? editing.expectedVersion : r.version, { status: "ARCHIVED" });
    setBusy(false);
    if (afterSave(r.id, result, null)) {
      closeEdit();
      select(null);
      announce(t.mapArchived(name(r)));
    }
  };

  // ───── resource fields (name, English name, category, description, address) ─────
  const [fields, setFields, openFieldsForm, closeFields] = usePinForm<FieldsEditing>(lockTarget, selected, liveRef);
  const openFields = (r: MapResource) =>
    openFieldsForm({ id: r.id, name: r.name, nameEn: r.nameEn ?? "", category: r.category, description: r.description ?? "", address: r.address ?? "", expectedVersion: r.version });
  const submitFields = async (event: FormEvent) => {
    event.preventDefault();
    if (!fields) return;
    if (!fields.name.trim()) {
      setError(t.mapNameRequired);
      return;
    }
    const blank = (v: string) => (v.trim() === "" ? null : v.trim());
    setBusy(true);
    const result = await updateResource(fields.id, fields.expectedVersion, {
      name: fields.name.trim(),
      nameEn: blank(fields.nameEn),
      category: fields.category,
      description: blank(fields.description),
      address: blank(fields.address),
    });
    setBusy(false);
    if (afterSave(fields.id, result, null)) {
      announce(m.saved);
      closeFields();
    }
  };

  // ───── task locations: through the task API (the one write path; matching reruns) ─────
  const saveTaskMove = useCallback(
    async (id: string, lat: number, lng: number, expectedVersion: number) => {
      setBusy(true);
      const result = await moveTask(id, expectedVersion, lat, lng);
      setBusy(false);
      if (result.ok) {
        dispatchTasks({ type: "saved", task: result.task });
        setError(null);
        announce(m.taskMoved);
        return true;
      }
      if (result.code === "conflict") {
        dispatchTasks({ type: "conflict", id, current: result.current ?? null, attempted: { lat, lng } });
        announce(t.mapConflictAnnounce);
      } else {
        setError(m.taskSaveError(result.code));
        announce(m.taskSaveError(result.code));
        // Put the pin back where the server has it.
        void fetchMapTasks(workspaceId, [id]).then((tasks) => tasks && dispatchTasks({ type: "fetched", tasks, requested: [id] }));
      }
      return false;
    },
    [announce, dispatchTasks, m, t, workspaceId],
  );
  const [taskEditing, setTaskEditing, openTaskForm, closeTaskEdit] = usePinForm<PositionEditing>(taskLockTarget, selectedTask, liveRef);
  const openTaskEdit = (task: MapTask) => openTaskForm({ id: task.id, lat: String(task.lat), lng: String(task.lng), expectedVersion: task.version });
  const submitTaskEdit = async (event: FormEvent) => {
    event.preventDefault();
    if (!taskEditing) return;
    const position = parsePosition(taskEditing);
    if (!position) {
      setError(t.mapInvalidCoordinates);
      return;
    }
    if (await saveTaskMove(taskEditing.id, position.lat, position.lng, taskEditing.expectedVersion)) closeTaskEdit();
  };

  // ───── drags: `target` is the lock target, `resource:<id>` or `task:<id>` ─────
  const dragVersion = useRef<number | null>(null);
  const onDragStart = useCallback((target: string) => {
    dragVersion.current = target.startsWith("task:")
      ? (taskRef.current!.tasks[target.slice(5)]?.version ?? null)
      : (stateRef.current!.resources[target.slice(9)]?.version ?? null);
    void liveRef.current.acquireLock(target, "dragging");
  }, []);
  const onDragEnd = useCallback(
    async (target: string, lat: number, lng: number) => {
      if (target.startsWith("task:")) {
        const id = target.slice(5);
        const version = dragVersion.current ?? taskRef.current!.tasks[id]?.version;
        dragVersion.current = null;
        if (version != null) await saveTaskMove(id, lat, lng, version);
        if (taskEditing?.id !== id) void liveRef.current.releaseLock(target);
        else setTaskEditing((e) => (e && e.id === id ? { ...e, lat: String(lat), lng: String(lng), expectedVersion: taskRef.current!.tasks[id]?.version ?? e.expectedVersion } : e));
        return;
      }
      const id = target.slice(9);
      const version = dragVersion.current ?? stateRef.current!.resources[id]?.version;
      dragVersion.current = null;
      if (version != null) await movePin(id, lat, lng, version);
      if (editing?.id !== id && fields?.id !== id) void liveRef.current.releaseLock(lockTarget(id));
      else setEditing((e) => (e && e.id === id ? { ...e, lat: String(lat), lng: String(lng), expectedVersion: stateRef.current!.resources[id]?.version ?? e.expectedVersion } : e));
    },
    [editing, fields, movePin, saveTaskMove, taskEditing, setEditing, setTaskEditing],
  );

  const onPlace = useCallback((lat: number, lng: number) => {
    setDraft((d) => ({ ...d, lat: String(lat), lng: String(lng) }));
    setPlacing(false);
  }, []);

  const submitNew = async (event: FormEvent) => {
    event.preventDefault();
    const lat = coordinate(draft.lat, 90);
    const lng = coordinate(draft.lng, 180);
    if (!draft.name.trim() || !draft.ownerOrgId) {
      setError(t.mapNameRequired);
      return;
    }
    if (lat === null || lng === null) {
      setError(t.mapInvalidCoordinates);
      return;
    }
    setBusy(true);
    const result = await createResource(workspaceId, { ownerOrgId: draft.ownerOrgId, kind: draft.kind, category: draft.category, name: draft.name.trim(), lat, lng });
    setBusy(false);
    if (result.ok) {
      dispatch({ type: "saved", resource: result.resource });
      setDraft((d) => ({ ...d, name: "", lat: "", lng: "" }));
      setError(null);
      select(result.resource.id);
      announce(t.mapAdded(name(result.resource)));
    } else {
      setError(t.mapSaveError(result.code));
    }
  };

  // ───── keyboard in the list ─────
  const listRef = useRef<HTMLUListElement>(null);
  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const keys: Record<string, 1 | -1 | "first" | "last"> = { ArrowDown: 1, ArrowUp: -1, Home: "first", End: "last" };
    const step = keys[event.key];
    if (!step) return;
    event.preventDefault();
    const next = stepSelection(shown.map((r) => r.id), selected, step);
    if (!next) return;
    select(next);
    listRef.current?.querySelector<HTMLButtonElement>(`button[data-resource-id="${CSS.escape(next)}"]`)?.focus();
  };
  // A selection made on the map scrolls its list row into view.
  useEffect(() => {
    if (!selected) return;
    listRef.current?.querySelector(`[data-resource-id="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const toggleKind = (kind: ResourceKind) =>
    setKinds((current) => {
      const next = new Set(current);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });

  const chosenLock = chosen ? lockOf(chosen.id) : null;
  const conflict = chosen ? state.conflicts[chosen.id] : undefined;
  const chosenTaskLock = chosenTask ? taskLockOf(chosenTask.id) : null;
  const taskConflict = chosenTask ? taskState.conflicts[chosenTask.id] : undefined;
  const draggable =
    chosen && canEdit(chosen) && !chosenLock
      ? { id: lockTarget(chosen.id), lat: chosen.lat, lng: chosen.lng }
      : chosenTask && showTasks && canMoveTask(chosenTask) && !chosenTaskLock
        ? { id: taskLockTarget(chosenTask.id), lat: chosenTask.lat, lng: chosenTask.lng }
        : null;
  const onTaskListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const keys: Record<string, 1 | -1 | "first" | "last"> = { ArrowDown: 1, ArrowUp: -1, Home: "first", End: "last" };
    const step = keys[event.key];
    if (!step) return;
    event.preventDefault();
    const next = stepSelection(shownTasks.map((task) => task.id), selectedTask, step);
    if (!next) return;
    selectTask(next);
    event.currentTarget.querySelector<HTMLButtonElement>(`button[data-task-id="${CSS.escape(next)}"]`)?.focus();
  };

  return (
    <div className="map-board">
      <div className="map-board__toolbar">
        <ConnectionBadge state={live.connection} reason={live.offlineReason} locale={locale} />
        <div className="board-presence" aria-label={t.mapViewing}>
          <span className="board-presence__label">{t.mapViewing}:</span>
          {others.length === 0 ? (
            <span className="board-presence__empty">{t.boardNobodyElse}</span>
          ) : (
            <ul className="board-presence__list">
              {others.map((p) => (
                <li key={p.userId} className="board-presence__person map-presence__person">
                  <span aria-hidden="true" className="board-presence__dot" style={{ background: p.colour }} />
                  {p.displayName}
                  <span className="board-presence__org">（{p.organizationName}）</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>

      <form className="map-board__filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <fieldset className="map-legend">
          <legend>{t.mapLayers}</legend>
          {RESOURCE_KINDS.map((kind) => (
            <label key={kind} className="map-legend__item">
              <input type="checkbox" checked={kinds.has(kind)} onChange={() => toggleKind(kind)} data-testid={`layer-${kind}`} />
              <span aria-hidden="true" className="map-legend__swatch" style={{ background: KIND_COLOURS[kind] }} />
              {label(locale, `resourceKind_${kind}`)} <span className="map-legend__count">({counts[kind]})</span>
            </label>
          ))}
          <label className="map-legend__item">
            <input type="checkbox" checked={showTasks} onChange={() => setShowTasks((v) => !v)} data-testid="layer-TASKS" />
            <span aria-hidden="true" className="map-legend__swatch map-legend__swatch--task" style={{ background: TASK_COLOUR }} />
            {m.layerTasks} <span className="map-legend__count">({Object.keys(taskState.tasks).length})</span>
          </label>
          <label className="map-legend__item">
            <input type="checkbox" checked={showCounts} onChange={() => setShowCounts((v) => !v)} data-testid="layer-AREA_COUNTS" aria-describedby="map-counts-help" />
            <span aria-hidden="true" className="map-legend__swatch map-legend__swatch--count" />
            {m.layerAreaCounts}
          </label>
          <p className="board-help" id="map-counts-help">
            {m.areaCountsHelp}
          </p>
        </fieldset>
        <label className="field">
          <span className="field__label">{t.mapCategory}</span>
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t.boardFilterAll}</option>
            {categories.map((code) => (
              <option key={code} value={code}>
                {resourceCategoryLabel(code, locale)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t.mapSearch}</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t.mapSearchHint} />
        </label>
      </form>

      <div className="map-board__body">
        <section className="map-board__list" aria-labelledby="map-list-heading">
          <h2 id="map-list-heading">
            {t.mapListHeading} <span className="map-board__count">{t.mapShown(shown.length, all.length)}</span>
          </h2>
          <p className="board-help" id="map-list-help">
            {t.mapListHelp}
          </p>
          {shown.length === 0 ? (
            <p>{t.mapNothingShown}</p>
          ) : (
            <ul className="map-list" ref={listRef} onKeyDown={onListKeyDown} aria-describedby="map-list-help" data-testid="map-list">
              {rows.map((r) => {
                const lock = lockOf(r.id);
                return (
                  <li key={r.id} className={`map-list__item${r.id === selected ? " map-list__item--selected" : ""}`} data-resource-id={r.id} data-lat={r.lat} data-lng={r.lng} data-version={r.version}>
                    <button
                      type="button"
                      data-resource-id={r.id}
                      aria-current={r.id === selected ? "true" : undefined}
                      tabIndex={r.id === selected || (selectedIndex < 0 && r.id === shown[0].id) ? 0 : -1}
                      onClick={() => select(r.id)}
                    >
                      <span aria-hidden="true" className="map-legend__swatch" style={{ background: KIND_COLOURS[r.kind] }} />
                      <span className="map-list__name">{name(r)}</span>
                      <span className="map-list__meta">
                        {label(locale, `resourceKind_${r.kind}`)} · {resourceCategoryLabel(r.category, locale)}
                      </span>
                      {lock ? (
                        <span className="map-list__lock" data-testid="lock">
                          <span aria-hidden="true" className="board-presence__dot" style={{ background: lock.holder.colour }} />
                          {lock.kind === "dragging" ? t.mapLockDragging(lock.holder.displayName) : t.mapLockEditing(lock.holder.displayName)}
                        </span>
                      ) : null}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {rows.length < shown.length ? (
            <button type="button" className="button button--secondary map-list__more" onClick={() => setRowLimit(rows.length + LIST_PAGE)} data-testid="map-list-more">
              {t.mapShowMore(Math.min(LIST_PAGE, shown.length - rows.length), shown.length - rows.length)}
            </button>
          ) : null}

          {showTasks ? (
            <>
              <h2 id="map-task-heading">
                {m.tasksHeading} <span className="map-board__count">{m.tasksCount(shownTasks.length)}</span>
              </h2>
              <p className="board-help" id="map-task-help">
                {m.tasksHelp}
              </p>
              {shownTasks.length === 0 ? (
                <p>{m.tasksNone}</p>
              ) : (
                <ul className="map-list" onKeyDown={onTaskListKeyDown} aria-labelledby="map-task-heading" aria-describedby="map-task-help" data-testid="map-task-list">
                  {shownTasks.map((task) => {
                    const lock = taskLockOf(task.id);
                    const selectedIndexT = selectedTask ? shownTasks.findIndex((x) => x.id === selectedTask) : -1;
                    return (
                      <li key={task.id} className={`map-list__item${task.id === selectedTask ? " map-list__item--selected" : ""}`} data-task-id={task.id} data-lat={task.lat} data-lng={task.lng} data-version={task.version}>
                        <button
                          type="button"
                          data-task-id={task.id}
                          aria-current={task.id === selectedTask ? "true" : undefined}
                          tabIndex={task.id === selectedTask || (selectedIndexT < 0 && task.id === shownTasks[0].id) ? 0 : -1}
                          onClick={() => selectTask(task.id)}
                        >
                          <span aria-hidden="true" className="map-legend__swatch map-legend__swatch--task" style={{ background: TASK_COLOUR }} />
                          <span className="map-list__name">{taskName(task)}</span>
                          <span className="map-list__meta">
                            {task.nextPiece
                              ? `${m.nextPiece}: ${when(task.nextPiece.startsAt, task.nextPiece.endsAt)} ${localized(locale, task.nextPiece.role, task.nextPiece.roleEn)} · ${m.seats(task.nextPiece.open, task.nextPiece.headcount)}`
                              : m.noOpenPiece}
                          </span>
                          {lock ? (
                            <span className="map-list__lock" data-testid="task-lock">
                              <span aria-hidden="true" className="board-presence__dot" style={{ background: lock.holder.colour }} />
                              {lock.kind === "dragging" ? t.mapLockDragging(lock.holder.displayName) : t.mapLockEditing(lock.holder.displayName)}
                            </span>
                          ) : null}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </>
          ) : null}

          {showCounts ? (
            <section aria-labelledby="map-counts-heading" data-testid="map-area-counts">
              <h2 id="map-counts-heading">{m.areaCountsHeading}</h2>
              {areaCounts === "loading" ? (
                <p>{m.areaCountsLoading}</p>
              ) : areaCounts === "error" ? (
                <p role="alert">{m.areaCountsFailed}</p>
              ) : (
                <table className="map-counts">
                  <thead>
                    <tr>
                      <th scope="col">{m.areaCountArea}</th>
                      <th scope="col">{m.areaCountValue}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {areaCounts.map((c) => (
                      <tr key={c.areaId} data-area-id={c.areaId}>
                        <th scope="row">{localized(locale, c.name, c.nameEn)}</th>
                        <td className="num">{areaCountLabel(c, locale)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ) : null}
        </section>

        <div className="map-board__mapwrap">
          {mounted ? (
            <Suspense fallback={<p className="map-board__map map-board__map--loading">{t.mapLoading}</p>}>
              <ResourceMap
                resources={shown}
                areas={areas}
                selected={selected}
                onSelect={select}
                placing={placing}
                onPlace={onPlace}
                draggable={draggable}
                onDragStart={onDragStart}
                onDragEnd={(id, lat, lng) => void onDragEnd(id, lat, lng)}
                locks={pinLocks}
                label={t.mapRegion}
                tasks={shownTasks}
                selectedTask={selectedTask}
                onSelectTask={selectTask}
                areaCounts={areaCountMarkers}
                baseMap={baseMap}
                initialView={initialView}
                onViewChange={meeting.onViewChange}
                followView={meeting.followView ?? focus}
              />
            </Suspense>
          ) : (
            <p className="map-board__map map-board__map--loading">{t.mapLoading}</p>
          )}
          {draggable ? <p className="board-help">{draggable.id.startsWith("task:") ? m.taskMoveHelp : t.mapDragHelp}</p> : null}
          <MeetingPanel
            interactive={mounted && live.connection === "connected"}
            canLead={canLead}
            sharing={meeting.sharing}
            onSharing={meeting.setSharing}
            facilitator={meeting.facilitator}
            following={meeting.following}
            onFollowing={meeting.setFollowing}
            agenda={liveAgenda.agenda}
            onShowOnMap={(lat, lng) => setFocus({ lat, lng, zoom: 16 })}
            locale={locale}
            t={t}
          >
            <ChartLinks areas={areas} locale={locale} />
          </MeetingPanel>
        </div>
      </div>

      {error ? (
        <p className="map-board__error" role="alert">
          {error}
        </p>
      ) : null}

      {chosenTask && showTasks ? (
        <section className="map-detail" aria-labelledby="map-task-detail-heading" data-testid="map-task-detail" data-task-id={chosenTask.id}>
          <h2 id="map-task-detail-heading">{taskName(chosenTask)}</h2>
          <dl className="facts">
            {chosenTask.locationName ? (
              <>
                <dt>{m.taskPlace}</dt>
                <dd>{chosenTask.locationName}</dd>
              </>
            ) : null}
            <dt>{m.nextPiece}</dt>
            <dd data-testid="task-next-piece">
              {chosenTask.nextPiece
                ? `${when(chosenTask.nextPiece.startsAt, chosenTask.nextPiece.endsAt)} ${localized(locale, chosenTask.nextPiece.role, chosenTask.nextPiece.roleEn)} · ${m.seats(chosenTask.nextPiece.open, chosenTask.nextPiece.headcount)}`
                : m.noOpenPiece}
            </dd>
            <dt>{m.openPieces(chosenTask.openPieces)}</dt>
            <dd />
            <dt>{t.mapPosition}</dt>
            <dd data-testid="task-position">
              {chosenTask.lat}, {chosenTask.lng}
            </dd>
          </dl>
          {slug ? <a href={`/w/${slug}/tasks/${chosenTask.id}/mosaic`}>{m.taskOpenMosaic}</a> : null}
          {taskState.changedBy[chosenTask.id] !== undefined ? (
            <p className="map-detail__changed">{t.mapChangedBy(names.get(taskState.changedBy[chosenTask.id] ?? "") ?? t.someone)}</p>
          ) : null}
          {chosenTaskLock ? (
            <p className="map-detail__lock" data-testid="task-detail-lock">
              <span aria-hidden="true" className="board-presence__dot" style={{ background: chosenTaskLock.holder.colour }} />
              {chosenTaskLock.kind === "dragging" ? t.mapLockDragging(chosenTaskLock.holder.displayName) : t.mapLockEditing(chosenTaskLock.holder.displayName)}
            </p>
          ) : null}
          {taskConflict ? (
            <div className="map-detail__conflict" role="alert" data-testid="task-conflict">
              {taskState.changedBy[chosenTask.id] !== undefined ? <p>{m.conflictBy(names.get(taskState.changedBy[chosenTask.id] ?? "") ?? t.someone)}</p> : null}
              <p>{t.mapConflict(taskConflict.current ? `${taskConflict.current.lat}, ${taskConflict.current.lng}` : "—")}</p>
              {taskConflict.attempted ? <p>{t.mapConflictAttempted(`${taskConflict.attempted.lat}, ${taskConflict.attempted.lng}`)}</p> : null}
              <button type="button" className="button button--secondary" onClick={() => dispatchTasks({ type: "dismiss-conflict", id: chosenTask.id })}>
                {t.detailClose}
              </button>
            </div>
          ) : null}
          {canMoveTask(chosenTask) ? (
            taskEditing?.id === chosenTask.id ? (
              <PositionForm
                label={m.taskEditPosition}
                value={taskEditing}
                onChange={(position) => setTaskEditing({ ...taskEditing, ...position })}
                onSubmit={(e) => void submitTaskEdit(e)}
                onCancel={closeTaskEdit}
                busy={busy}
                t={t}
              />
            ) : (
              <div className="map-edit__actions">
                <button type="button" className="button" onClick={() => openTaskEdit(chosenTask)}>
                  {m.taskEditPosition}
                </button>
              </div>
            )
          ) : (
            <p className="board-help">{m.taskReadOnly}</p>
          )}
        </section>
      ) : null}

      {chosen ? (
        <section className="map-detail" aria-labelledby="map-detail-heading" data-testid="map-detail" data-resource-id={chosen.id}>
          <h2 id="map-detail-heading">{name(chosen)}</h2>
          <dl className="facts">
            <dt>{t.mapKind}</dt>
            <dd>{label(locale, `resourceKind_${chosen.kind}`)}</dd>
            <dt>{t.mapCategory}</dt>
            <dd>{resourceCategoryLabel(chosen.category, locale)}</dd>
            {chosen.address ? (
              <>
                <dt>{t.mapAddress}</dt>
                <dd>{chosen.address}</dd>
              </>
            ) : null}
            {chosen.nameEn && locale === "ja" ? (
              <>
                <dt>{m.nameEn}</dt>
                <dd lang="en">{chosen.nameEn}</dd>
              </>
            ) : null}
            {chosen.description ? (
              <>
                <dt>{m.description}</dt>
                <dd>{chosen.description}</dd>
              </>
            ) : null}
            <dt>{t.mapPosition}</dt>
            <dd data-testid="detail-position">
              {chosen.lat}, {chosen.lng}
            </dd>
          </dl>
          {state.changedBy[chosen.id] !== undefined ? (
            <p className="map-detail__changed">{t.mapChangedBy(names.get(state.changedBy[chosen.id] ?? "") ?? t.someone)}</p>
          ) : null}
          {chosenLock ? (
            <p className="map-detail__lock" data-testid="detail-lock">
              <span aria-hidden="true" className="board-presence__dot" style={{ background: chosenLock.holder.colour }} />
              {chosenLock.kind === "dragging" ? t.mapLockDragging(chosenLock.holder.displayName) : t.mapLockEditing(chosenLock.holder.displayName)}
            </p>
          ) : null}
          {conflict ? (
            <div className="map-detail__conflict" role="alert" data-testid="conflict">
              {state.changedBy[chosen.id] !== undefined ? <p data-testid="conflict-by">{m.conflictBy(names.get(state.changedBy[chosen.id] ?? "") ?? t.someone)}</p> : null}
              <p>{t.mapConflict(conflict.current ? `${conflict.current.lat}, ${conflict.current.lng}` : "—")}</p>
              {conflict.attempted ? null : <p>{m.conflictFields}</p>}
              {conflict.attempted ? <p>{t.mapConflictAttempted(`${conflict.attempted.lat}, ${conflict.attempted.lng}`)}</p> : null}
              <button type="button" className="button button--secondary" onClick={() => dispatch({ type: "dismiss-conflict", id: chosen.id })}>
                {t.detailClose}
              </button>
            </div>
          ) : null}
          {canEdit(chosen) && fields?.id === chosen.id ? (
            <form className="map-edit" onSubmit={(e) => void submitFields(e)} aria-label={m.editFieldsTitle} data-testid="map-fields-form">
              <label className="field">
                <span className="field__label">{t.mapName}</span>
                <input name="name" required maxLength={120} value={fields.name} onChange={(e) => setFields({ ...fields, name: e.target.value })} />
              </label>
              <label className="field">
                <span className="field__label">{m.nameEn}</span>
                <input name="nameEn" maxLength={120} lang="en" value={fields.nameEn} onChange={(e) => setFields({ ...fields, nameEn: e.target.value })} />
              </label>
              <label className="field">
                <span className="field__label">{t.mapCategory}</span>
                <select name="category" value={fields.category} onChange={(e) => setFields({ ...fields, category: e.target.value })}>
                  {(RESOURCE_CATEGORIES.some((c) => c.code === fields.category) ? [] : [fields.category]).map((code) => (
                    <option key={code} value={code}>
                      {resourceCategoryLabel(code, locale)}
                    </option>
                  ))}
                  {RESOURCE_CATEGORIES.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c[locale]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="field__label">{t.mapAddress}</span>
                <input name="address" maxLength={200} value={fields.address} onChange={(e) => setFields({ ...fields, address: e.target.value })} />
              </label>
              <label className="field">
                <span className="field__label">{m.description}</span>
                <textarea name="description" maxLength={4000} rows={3} value={fields.description} onChange={(e) => setFields({ ...fields, description: e.target.value })} />
              </label>
              <div className="map-edit__actions">
                <button type="submit" className="button" disabled={busy}>
                  {t.mapSave}
                </button>
                <button type="button" className="button button--secondary" onClick={closeFields}>
                  {t.mapCancel}
                </button>
              </div>
            </form>
          ) : canEdit(chosen) ? (
            editing?.id === chosen.id ? (
              <PositionForm
                label={t.mapEditTitle}
                value={editing}
                onChange={(position) => setEditing({ ...editing, ...position })}
                onSubmit={(e) => void submitEdit(e)}
                onCancel={closeEdit}
                busy={busy}
                t={t}
              />
            ) : (
              <div className="map-edit__actions">
                <button type="button" className="button" onClick={() => openEdit(chosen)}>
                  {t.mapEdit}
                </button>
                <button type="button" className="button button--secondary" onClick={() => openFields(chosen)}>
                  {m.editFields}
                </button>
                <button type="button" className="button button--secondary" disabled={busy} onClick={() => void archive(chosen)}>
                  {t.mapArchive}
                </button>
              </div>
            )
          ) : (
            <p className="board-help">{t.mapReadOnlyResource}</p>
          )}
        </section>
      ) : null}

      {writableOrgs.length > 0 ? (
        <section className="map-add" aria-labelledby="map-add-heading">
          <h2 id="map-add-heading">{t.mapAddTitle}</h2>
          <form onSubmit={(e) => void submitNew(e)} className="map-add__form">
            <label className="field">
              <span className="field__label">{t.mapKind}</span>
              <select name="kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as ResourceKind })}>
                {RESOURCE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {label(locale, `resourceKind_${kind}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">{t.mapCategory}</span>
              <select name="category" value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })}>
                {RESOURCE_CATEGORIES.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c[locale]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">{t.mapName}</span>
              <input name="name" required maxLength={120} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
            </label>
            {writableOrgs.length > 1 ? (
              <label className="field">
                <span className="field__label">{t.mapOwner}</span>
                <select name="ownerOrgId" value={draft.ownerOrgId} onChange={(e) => setDraft({ ...draft, ownerOrgId: e.target.value })}>
                  {writableOrgs.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className="field">
              <span className="field__label">{t.mapLat}</span>
              <input name="lat" inputMode="decimal" value={draft.lat} onChange={(e) => setDraft({ ...draft, lat: e.target.value })} />
            </label>
            <label className="field">
              <span className="field__label">{t.mapLng}</span>
              <input name="lng" inputMode="decimal" value={draft.lng} onChange={(e) => setDraft({ ...draft, lng: e.target.value })} />
            </label>
            <div className="map-edit__actions">
              <button type="button" className="button button--secondary" aria-pressed={placing} onClick={() => setPlacing((p) => !p)} disabled={!mounted}>
                {placing ? t.mapPlacing : t.mapPlaceOnMap}
              </button>
              <button type="submit" className="button" disabled={busy}>
                {t.mapAdd}
              </button>
            </div>
          </form>
        </section>
      ) : null}

      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </p>
    </div>
  );
}

/** The keyboard path for moving a pin (a resource's or a task's): latitude and longitude as text. */
function PositionForm(props: {
  label: string;
  value: { lat: string; lng: string };
  onChange: (position: { lat: string; lng: string }) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
  busy: boolean;
  t: Messages;
}) {
  const { label, value, onChange, onSubmit, onCancel, busy, t } = props;
  return (
    <form className="map-edit" onSubmit={onSubmit} aria-label={label}>
      <label className="field">
        <span className="field__label">{t.mapLat}</span>
        <input name="lat" inputMode="decimal" value={value.lat} onChange={(e) => onChange({ ...value, lat: e.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">{t.mapLng}</span>
        <input name="lng" inputMode="decimal" value={value.lng} onChange={(e) => onChange({ ...value, lng: e.target.value })} />
      </label>
      <div className="map-edit__actions">
        <button type="submit" className="button" disabled={busy}>
          {t.mapSave}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t.mapCancel}
        </button>
      </div>
    </form>
  );
}

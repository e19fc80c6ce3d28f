"use client";

import { lazy } from "react";
import { retrying } from "@/lib/client/chunks";

// Parts of the chat that are not on screen when it first shows: each is its own chunk, fetched
// in the background right after the first render (preloadParts), so /chat's first-load JavaScript
// stays within its budget (scripts/bundle-size.mjs) and the first click on any of them is instant.
const load = {
  menus: retrying(() => import("./message-menus")),
  picker: retrying(() => import("./reaction-picker")),
  settings: retrying(() => import("./settings-panel")),
  group: retrying(() => import("./group-panel")),
  calls: retrying(() => import("../calls/call-buttons")),
  attachments: retrying(() => import("./files/attachments")),
  viewer: retrying(() => import("./files/viewer")),
  rooms: retrying(() => import("./rooms")),
  search: retrying(() => import("./search-panel")),
  pins: retrying(() => import("./pinned-bar")),
};

export const Menu = lazy(() => load.menus().then((m) => ({ default: m.Menu })));
export const MenuItem = lazy(() => load.menus().then((m) => ({ default: m.MenuItem })));
export const DeleteChoice = lazy(() => load.menus().then((m) => ({ default: m.DeleteChoice })));
export const EditForm = lazy(() => load.menus().then((m) => ({ default: m.EditForm })));
export const ReactionPicker = lazy(() => load.picker().then((m) => ({ default: m.ReactionPicker })));
export const SettingsPanel = lazy(() => load.settings().then((m) => ({ default: m.SettingsPanel })));
export const GroupDetails = lazy(() => load.group().then((m) => ({ default: m.GroupDetails })));
export const CallButtons = lazy(() => load.calls().then((m) => ({ default: m.CallButtons })));
export const StoredAttachments = lazy(() => load.attachments().then((m) => ({ default: m.StoredAttachments })));
export const PendingAttachments = lazy(() => load.attachments().then((m) => ({ default: m.PendingAttachments })));
export const RoomsDirectory = lazy(() => load.rooms().then((m) => ({ default: m.RoomsDirectory })));
export const RoomDetails = lazy(() => load.rooms().then((m) => ({ default: m.RoomDetails })));
export const SearchPanel = lazy(() => load.search().then((m) => ({ default: m.SearchPanel })));
export const PinnedBar = lazy(() => load.pins().then((m) => ({ default: m.PinnedBar })));
export const ImageViewer = lazy(() => load.viewer().then((m) => ({ default: m.ImageViewer })));

export function preloadParts() {
  for (const part of Object.values(load)) void part().catch(() => undefined);
}

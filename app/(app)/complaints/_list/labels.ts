import type { Channel, ComplaintStatus, Severity } from "@/db/schema";

/** The keys of a label table in their declared order (client code must not import db/schema). */
export function keysOf<K extends string>(labels: Record<K, string>): K[] {
  return Object.keys(labels) as K[];
}

export const statusLabel: Record<ComplaintStatus, string> = {
  new: "New",
  in_progress: "In progress",
  resolved: "Resolved",
  closed: "Closed",
};

export const severityLabel: Record<Severity, string> = {
  minor: "Minor",
  moderate: "Moderate",
  major: "Major",
  critical: "Critical",
};

export const channelLabel: Record<Channel, string> = {
  phone: "Phone",
  email: "Email",
  chat: "Chat",
  web: "Web",
  social: "Social",
  in_person: "In person",
  letter: "Letter",
};

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "10 Jan 2025, 09:00" in the given time zone. */
export function formatDateTime(date: Date, timeZone = "UTC"): string {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    });
    dateTimeFormats.set(timeZone, format);
  }
  return format.format(date);
}

/** "Eastern Time" style name of a zone, for "times in …" notes. */
export function zoneName(timeZone: string): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "long" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName");
    return part?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

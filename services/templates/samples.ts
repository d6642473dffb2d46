/**
 * A well-written template — an incident postmortem that passes the publication quality gate — used by the
 * demo traffic, the synthetic checks and the tests, so they all exercise the same content.
 */

export const POSTMORTEM_VARS = [
  { name: "title", description: "Short incident title" },
  { name: "date", description: "Day of the incident" },
  { name: "service", description: "Affected service" },
  { name: "impact", type: "text", description: "Who was affected and for how long" },
];

/**
 * The postmortem's body. `followUp` is its last line (a module reference such as `{{> action-items}}`, or
 * plain text by default); `timelineText: false` leaves the Timeline section without its sentence.
 */
export function postmortemBody(opts: { followUp?: string; timelineText?: boolean } = {}): string {
  return [
    "# Incident postmortem: {{title}}",
    "",
    "## Summary",
    "On {{date}} the {{service}} service was degraded. This document explains what happened and what we changed.",
    "",
    "## Impact",
    "{{impact}}",
    "",
    "## Timeline",
    ...(opts.timelineText === false ? [] : ["List the events in order, with times in UTC."]),
    "",
    "## Follow-up",
    opts.followUp ?? "Each action item has an owner and a due date.",
  ].join("\n");
}

export const POSTMORTEM_BODY = postmortemBody();

// Matching a name or title in the workbench exactly, whatever characters it holds.

/** `s` with every character that means something in a regular expression escaped. */
export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern that matches the text `s` and nothing longer (Playwright's `hasText` with a string matches substrings). */
export function exactText(s) {
  return new RegExp(`^${escapeRegExp(s)}$`);
}

/** One statement of a migration script, with the line it starts on (1-based). */
export interface SqlStatement {
  sql: string;
  line: number;
}

/**
 * Splits a MySQL script into statements at top-level semicolons. Semicolons inside quoted
 * strings, quoted identifiers and comments do not split; comment-only chunks are dropped.
 */
export function splitSqlStatements(script: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  while (i < script.length) {
    const skipped = skipCommentOrQuote(script, i);
    if (skipped.end > i) {
      hasCode ||= skipped.isCode;
      i = skipped.end;
      continue;
    }
    if (script[i] === ";") {
      if (hasCode) statements.push(toStatement(script, start, i));
      start = i + 1;
      hasCode = false;
    } else if (!/\s/.test(script[i] ?? "")) {
      hasCode = true;
    }
    i += 1;
  }
  if (hasCode) statements.push(toStatement(script, start, script.length));
  return statements;
}

interface Skip {
  end: number;
  isCode: boolean;
}

/** If a comment or quoted token starts at `i`, returns the index just past it. */
function skipCommentOrQuote(script: string, i: number): Skip {
  const c = script[i];
  const next = script[i + 1];
  if (c === "#" || (c === "-" && next === "-" && isDashCommentStart(script, i))) {
    const newline = script.indexOf("\n", i);
    return { end: newline === -1 ? script.length : newline, isCode: false };
  }
  if (c === "/" && next === "*") {
    const close = script.indexOf("*/", i + 2);
    if (close === -1) throw syntaxError(script, i, "unterminated /* comment");
    // `/*! … */` is MySQL's executable comment: it is code, not a comment.
    return { end: close + 2, isCode: script[i + 2] === "!" };
  }
  if (c === "'" || c === '"' || c === "`") {
    return { end: skipQuoted(script, i, c), isCode: true };
  }
  return { end: i, isCode: false };
}

/** MySQL needs whitespace (or the end) after `--` for it to start a comment. */
function isDashCommentStart(script: string, i: number): boolean {
  const after = script[i + 2];
  return after === undefined || /\s/.test(after);
}

/** Returns the index just past the quoted token opened by `quote` at `start`. */
function skipQuoted(script: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < script.length) {
    const c = script[i];
    if (c === "\\" && quote !== "`") {
      i += 2;
    } else if (c === quote && script[i + 1] === quote) {
      i += 2; // a doubled quote stands for itself
    } else if (c === quote) {
      return i + 1;
    } else {
      i += 1;
    }
  }
  throw syntaxError(script, start, `unterminated ${quote} quote`);
}

/** Drops the line comments that head a statement (Prisma's `-- CreateTable`), keeps the rest. */
function toStatement(script: string, start: number, end: number): SqlStatement {
  const raw = script.slice(start, end);
  const sql = raw.replace(/^(\s*(--([ \t][^\n]*)?|#[^\n]*)(?=\n|$))*/, "").trim();
  if (/^delimiter\s/i.test(sql)) {
    throw syntaxError(script, start, "DELIMITER is a client command and is not supported");
  }
  return { sql, line: lineAt(script, start + raw.indexOf(sql)) };
}

function lineAt(script: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (script[i] === "\n") line += 1;
  return line;
}

function syntaxError(script: string, offset: number, what: string): Error {
  return new Error(`line ${lineAt(script, offset)}: ${what}`);
}

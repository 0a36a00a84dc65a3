import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Replaces a small file whole: write a temporary file beside it, flush it, rename it over the old one,
 * then flush the folder. A crash or a kill leaves the old content or the new, never half of either.
 * A write that fails (a full disk) removes its unfinished temporary file and leaves the old one as it was.
 */
export function writeFileAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      // One write() may store only part of the bytes and still succeed (a disk that fills up half-way):
      // write on until all are out, so that a full disk ends in ENOSPC, never in a truncated file.
      const bytes = Buffer.from(content, 'utf8');
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // A folder that refuses even this (read-only) has no half-written file either; the first error is the one to report.
    }
    throw error;
  }
  try {
    const dirFd = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}

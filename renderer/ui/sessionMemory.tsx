import { createContext, useContext } from 'react';

/**
 * What a signed-in person has typed but not saved (a half-typed first call, the side the desk was
 * on), kept in this window's memory only: never on disk, never in localStorage. It belongs to one
 * person: it survives a screen change and her own lock and unlock; signing out, or someone else
 * signing in, empties it, and anyone else asking gets nothing.
 */
export class SessionMemory {
  private owner: string | null = null;
  private readonly values = new Map<string, unknown>();

  get<T>(userId: string, key: string): T | undefined {
    return this.owner === userId ? (this.values.get(key) as T | undefined) : undefined;
  }

  set(userId: string, key: string, value: unknown): void {
    if (this.owner !== userId) this.clear();
    this.owner = userId;
    this.values.set(key, value);
  }

  delete(userId: string, key: string): void {
    if (this.owner === userId) this.values.delete(key);
  }

  /** Drops everything kept, for whoever it was. */
  clear(): void {
    this.values.clear();
    this.owner = null;
  }
}

const SessionMemoryContext = createContext<SessionMemory | null>(null);

export const SessionMemoryProvider = SessionMemoryContext.Provider;

export function useSessionMemory(): SessionMemory {
  const memory = useContext(SessionMemoryContext);
  if (!memory) throw new Error('useSessionMemory outside SessionMemoryProvider');
  return memory;
}

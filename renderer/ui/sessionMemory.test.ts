import { describe, expect, it } from 'vitest';
import { SessionMemory } from './sessionMemory';

describe('SessionMemory', () => {
  it("keeps one person's unsaved work for her alone, and forgets it for anyone else", () => {
    const memory = new SessionMemory();
    memory.set('rut', 'intake:draft:victims', { name: 'Fiktiv Person' });
    expect(memory.get('rut', 'intake:draft:victims')).toEqual({ name: 'Fiktiv Person' });
    // Someone else asking gets nothing …
    expect(memory.get('siv', 'intake:draft:victims')).toBeUndefined();
    memory.delete('siv', 'intake:draft:victims');
    expect(memory.get('rut', 'intake:draft:victims')).toEqual({ name: 'Fiktiv Person' });
    // … and the moment she keeps something of her own, the first person's work is gone.
    memory.set('siv', 'desk:side', 'perpetrators');
    expect(memory.get('rut', 'intake:draft:victims')).toBeUndefined();
    expect(memory.get('siv', 'desk:side')).toBe('perpetrators');
    memory.clear();
    expect(memory.get('siv', 'desk:side')).toBeUndefined();
  });
});

import type { EventEmitter } from "node:events";

/**
 * One string per room name in the process. Each connection builds its conversations' room names
 * from its own database read, and Socket.IO keeps them per socket (the socket's set of rooms), so
 * without this every member of a conversation holds a copy of a name all the others hold too: about
 * a kilobyte per connection for ten conversations. A name is kept while its room exists here.
 */
export class RoomNames {
  private readonly names = new Map<string, string>();

  constructor(adapter: EventEmitter) {
    adapter.on("delete-room", (room: string) => this.names.delete(room));
  }

  /** The process's copy of this name; call right before joining the room, so that the room exists and its deletion forgets the name. */
  intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

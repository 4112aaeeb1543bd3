/**
 * Widget keys' decisions: which origins a key allows (checked and normalised), its name (trimmed, one
 * line, at most WIDGET_KEY_NAME_MAX characters), creating, editing and
 * revoking keys, and whether a connecting widget may use one. Revoking a key, or taking an origin off
 * it, also closes the sockets already open with it (through WidgetKeySockets, the gateway), on every
 * replica: a leaked key stops working at once, not at the next reconnect.
 */
import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { ChatError } from './chat-error';
import { allowsOrigin, normalizeOrigin, WIDGET_KEY_NAME_MAX, type WidgetKey } from './widget-key';
import { WidgetKeysRepository } from './widget-keys.repository';

/** What a revoked key's connection, and its open sockets, are told. */
export const REVOKED_MESSAGE = 'this widget key has been revoked';
export const ORIGIN_LEFT_OUT_MESSAGE = 'this page is no longer allowed to use this widget key';

/** The open widget sockets of a key, on every replica (the chat gateway). */
export interface WidgetKeySockets {
  /** Tells every socket of the key why with an `error` event, and disconnects it. */
  disconnectWidgetKey(keyId: string, message: string): void;
  /** The same for the key's sockets whose page origin is not one of `allowed`; resolves with how many. */
  disconnectWidgetKeyOrigins(keyId: string, allowed: string[], message: string): Promise<number>;
}

@Injectable()
export class WidgetKeysService {
  constructor(
    private readonly repository: WidgetKeysRepository,
    private readonly kbs: KnowledgeBasesService,
  ) {}

  async create(kbId: string, origins: string[], name?: string | null): Promise<WidgetKey> {
    const allowed = allowedOrigins(origins);
    const label = keyName(name);
    await this.kbs.require(kbId);
    const key = `wk_${randomBytes(24).toString('base64url')}`;
    return this.repository.create(kbId, key, allowed, label);
  }

  /** The KB's keys, revoked ones included (with their revokedAt), oldest first. */
  async list(kbId: string): Promise<WidgetKey[]> {
    await this.kbs.require(kbId);
    return this.repository.list(kbId);
  }

  /**
   * Renames a key and/or replaces its allowed origins (both checked before either is stored). Sockets
   * open from a page whose origin a new list leaves out are disconnected (an empty list allows every
   * origin: none are).
   */
  async update(
    kbId: string,
    id: string,
    change: { allowedOrigins?: string[]; name?: string | null },
    sockets: WidgetKeySockets,
  ): Promise<WidgetKey> {
    if (change.allowedOrigins === undefined && change.name === undefined)
      throw new BadRequestException('nothing to change: send name, allowedOrigins or both');
    const allowed = change.allowedOrigins && allowedOrigins(change.allowedOrigins);
    const updated = await this.repository.update(kbId, id, {
      allowedOrigins: allowed,
      ...(change.name !== undefined ? { name: keyName(change.name) } : {}),
    });
    if (!updated) {
      if ((await this.repository.byId(kbId, id))?.revokedAt)
        throw new ConflictException(`widget key ${id} is revoked: create a new key instead`);
      throw new NotFoundException(`widget key ${id} not found`);
    }
    if (allowed?.length) await sockets.disconnectWidgetKeyOrigins(id, allowed, ORIGIN_LEFT_OUT_MESSAGE);
    return updated;
  }

  /**
   * Adds origins to a key whose origins no admin has set (the demo page's key, a replica's origins);
   * null when it added none. Origins only grow: no socket has to close.
   */
  addOriginsUnlessEdited(kbId: string, id: string, origins: string[]): Promise<WidgetKey | null> {
    return this.repository.addOriginsUnlessEdited(kbId, id, allowedOrigins(origins));
  }

  /** Revokes a key: no widget connects with it again, and the sockets open with it are closed. */
  async revoke(kbId: string, id: string, sockets: WidgetKeySockets): Promise<void> {
    if (!(await this.repository.revoke(kbId, id))) throw new NotFoundException(`widget key ${id} not found`);
    sockets.disconnectWidgetKey(id, REVOKED_MESSAGE);
  }

  /** The key a widget connects with, if it is live and allows the page's origin; a ChatError otherwise. */
  async authorize(key: string, origin: string | undefined): Promise<WidgetKey> {
    const widgetKey = await this.repository.byKey(key);
    if (!widgetKey) throw new ChatError('forbidden', 'unknown widget key');
    if (widgetKey.revokedAt) throw new ChatError('forbidden', REVOKED_MESSAGE);
    if (!allowsOrigin(widgetKey, origin))
      throw new ChatError('forbidden', `origin ${origin ?? '(none)'} is not allowed to use this widget key`);
    return widgetKey;
  }

  /**
   * Why an open widget socket may no longer use its key (revoked, or its page's origin left out of
   * the key's origins since it connected), or null when it still may. Asked before each of the
   * socket's events: a socket that a revocation or an origin edit did not reach (a replica that did
   * not answer the broadcast in time) is refused at its next event.
   */
  async refusal(key: string, origin: string | undefined): Promise<string | null> {
    const widgetKey = await this.repository.byKey(key);
    if (!widgetKey || widgetKey.revokedAt) return REVOKED_MESSAGE;
    return allowsOrigin(widgetKey, origin) ? null : ORIGIN_LEFT_OUT_MESSAGE;
  }

  /**
   * Called once the connected socket listens for its key's revocation: false if the key was revoked
   * in between (the socket then closes). Marks the key used.
   */
  stillLive(id: string): Promise<boolean> {
    return this.repository.use(id);
  }
}

/** A key's name as an admin wrote it: trimmed, null when blank or absent; a 400 that says what is wrong. */
function keyName(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  // One line: a label shows in a list row; a tab or newline there is a paste accident.
  if (/\p{Cc}/u.test(trimmed))
    throw new BadRequestException('name must be one line of text without control characters');
  const length = [...trimmed].length; // characters, not UTF-16 units: an emoji is one
  if (length > WIDGET_KEY_NAME_MAX)
    throw new BadRequestException(
      `name is too long (${length} characters; the limit is ${WIDGET_KEY_NAME_MAX})`,
    );
  return trimmed;
}

/** Origins as an admin wrote them, normalised and deduplicated; a 400 naming the first bad one. */
function allowedOrigins(origins: string[]): string[] {
  const allowed = origins.map((o, i) => {
    const origin = normalizeOrigin(o);
    if (!origin)
      throw new BadRequestException(
        `allowedOrigins[${i}] must be an origin such as https://shop.example.com, got "${o}"`,
      );
    return origin;
  });
  return [...new Set(allowed)];
}

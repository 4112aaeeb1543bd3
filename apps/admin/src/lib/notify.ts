/**
 * The console's notices (the toasts at the bottom right). Mantine closed every one after 2.5 s, too
 * soon to read a sentence, and an error that vanished left the admin guessing what went wrong. Now a
 * success or a note stays 6 s, a warning 10 s or until closed, an error until closed; screen readers
 * hear an error as an alert and the rest as a polite status (Mantine made every toast an alert).
 */
import type { ReactNode } from 'react';
import { notifications, type NotificationData } from '@mantine/notifications';

export type NoticeKind = 'success' | 'info' | 'warning' | 'error';

/** How long a success or a note stays open, in ms (also the default of <Notifications>). */
export const NOTICE_MS = 6_000;
const WARNING_MS = 10_000;

const LOOK: Record<NoticeKind, Pick<NotificationData, 'color' | 'role'>> = {
  success: { color: 'teal', role: 'status' },
  info: { color: 'gray', role: 'status' },
  warning: { color: 'yellow', role: 'status' },
  error: { color: 'red', role: 'alert' },
};

export interface NoticeOptions {
  title?: ReactNode;
  /** A warning the reader must act on: kept until closed. Errors always are. */
  stay?: boolean;
}

/** The notification a notice of `kind` shows. */
export function noticeData(
  kind: NoticeKind,
  message: ReactNode,
  { title, stay }: NoticeOptions = {},
): NotificationData {
  const autoClose = kind === 'error' || stay ? false : kind === 'warning' ? WARNING_MS : NOTICE_MS;
  return { ...LOOK[kind], title, message, autoClose, withCloseButton: true };
}

/** Shows a notice: `notify('error', err.message)`. */
export function notify(kind: NoticeKind, message: ReactNode, options?: NoticeOptions): string {
  return notifications.show(noticeData(kind, message, options));
}

import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { App as AntApp } from 'antd';
import { NOTIFICATIONS_KEY, type Notification } from '@web/features/notifications/api';
import { useSignedOut } from './auth';
import { useT } from './i18n';
import { connectRealtime, disconnectRealtime, useRealtime } from './realtime';

/** Keeps this tab's WebSocket open while signed in and reacts to the shell-level events. */
export function RealtimeBridge() {
  const t = useT();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signedOut = useSignedOut();
  const { notification, message } = AntApp.useApp();
  const connectedBefore = useRef(false);

  useEffect(() => {
    connectRealtime();
    return disconnectRealtime;
  }, []);

  // after a reconnection, catch up on what was pushed while we were away
  useRealtime('connected', () => {
    if (connectedBefore.current) void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    connectedBefore.current = true;
  });

  // read in another tab: the bell here follows
  useRealtime('notifications_read', () => void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }));

  useRealtime('notification', (data) => {
    void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    const n = data as Partial<Notification> | undefined;
    if (!n?.title) return;
    const link = n.link && n.link.startsWith('/') ? n.link : undefined;
    notification.info({
      title: n.title,
      description: n.body || undefined,
      placement: 'topRight',
      ...(link ? { onClick: () => void navigate(link), style: { cursor: 'pointer' } } : {}),
    });
  });

  useRealtime('session_ended', () => {
    disconnectRealtime();
    signedOut(); // RequireUser now shows the login page
    void message.warning(t('shell.sessionEnded'));
  });

  return null;
}

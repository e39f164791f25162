import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, App, Button, Flex, Input, Modal, Select, Skeleton, Space, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, del, post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { MailBody } from '../mailbox/MailBody';
import { mailKeys, type MailAccount, type MailMessage } from '../api';
import { AddressInput } from './AddressInput';
import { AttachmentsField } from './AttachmentsField';
import { composeBodyOf, initialState, type ComposeState } from './composeState';
import { signatureHtml, type ComposeInit } from './quote';
import { useDraftSaver } from './useDraftSaver';

// the editor (tiptap) is its own chunk, loaded when a mail is first written
const RichEditor = lazy(() => import('./RichEditor').then((m) => ({ default: m.RichEditor })));

const AUTOSAVE_MS = 3000;

type Props = {
  init: ComposeInit;
  /** the draft, or the reply's original, as just read */
  loaded: MailMessage | undefined;
  accounts: MailAccount[];
  /** the drawer's close button calls this form's "keep the draft?" question */
  setCloser: (fn: () => void) => void;
  onClose: () => void;
  onSent: () => void;
};

/** The compose form: from, to/cc/bcc, subject, attachments, rich text, quote; autosaved as a draft. */
export function ComposeForm({ init, loaded, accounts, setCloser, onClose, onSent }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const start = useMemo(() => initialState(init, loaded, accounts, t), []);
  const [s, setState] = useState<ComposeState>(start.state);
  const [showCc, setShowCc] = useState(s.cc.length > 0 || s.bcc.length > 0);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const saver = useDraftSaver(start.draft);
  const touched = useRef(false);
  // after a send attempt SMTP refused, the message is a failed send, no longer a draft (nor autosaved)
  const stopped = useRef(!!init.draftId && loaded?.sendStatus === 'failed');
  const [rev, setRev] = useState(0);
  // a new key remounts the editor with new content (another account's signature)
  const [editorKey, setEditorKey] = useState(0);

  const update = (change: Partial<ComposeState>) => {
    touched.current = true;
    setState((prev) => ({ ...prev, ...change }));
    setRev((r) => r + 1);
  };

  // autosave ~3 s after the last change
  useEffect(() => {
    if (!rev || stopped.current || !s.accountId) return;
    const timer = setTimeout(() => void saver.save(composeBodyOf(s)).catch(() => undefined), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [rev]);

  const refreshLists = () => {
    void qc.invalidateQueries({ queryKey: mailKeys.lists });
    void qc.invalidateQueries({ queryKey: mailKeys.unread });
    // a draft or failed send shown in the read view has become another message
    const id = saver.draftId();
    if (id) void qc.invalidateQueries({ queryKey: mailKeys.messageAny(id) });
  };

  function requestClose() {
    if (sending) return;
    const hasDraft = saver.draftId() !== null && !stopped.current;
    if (!hasDraft && !touched.current) return onClose();
    if (stopped.current) return onClose();
    setAsking(true);
  }
  // (braces: an arrow returning the function would hand React requestClose as the effect's cleanup)
  useEffect(() => {
    setCloser(requestClose);
  });

  async function keepDraft() {
    try {
      await saver.settled();
      await saver.save(composeBodyOf(s));
      void message.success(t('mailui.compose.draft_kept'));
      refreshLists();
      onClose();
    } catch (e) {
      setAsking(false);
      void message.error(e instanceof Error ? e.message : String(e));
    }
  }

  async function discardDraft() {
    await saver.settled();
    const id = saver.draftId();
    // already gone (sent from another tab) is as good as discarded
    if (id) await del(`/mail/drafts/${encodeURIComponent(id)}`).catch(() => undefined);
    refreshLists();
    onClose();
  }

  async function send() {
    if (!s.to.length && !s.cc.length && !s.bcc.length) {
      void message.warning(t('mailui.compose.need_recipient'));
      return;
    }
    setSending(true);
    setSendError(null);
    try {
      await saver.settled();
      const body = composeBodyOf(s);
      // saved first, so a send SMTP refuses can be corrected and sent again as the same message
      const draftId = saver.draftId() ?? (stopped.current ? null : await saver.save(body));
      await post<MailMessage>('/mail/messages', { ...body, draftId });
      stopped.current = true;
      void message.success(t('mailui.compose.sent'));
      refreshLists();
      onSent();
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'mail_send_failed') stopped.current = true;
      setSendError(e instanceof Error ? e.message : String(e));
      refreshLists();
    } finally {
      setSending(false);
    }
  }

  function changeAccount(id: string) {
    const before = accounts.find((a) => a.id === s.accountId);
    const after = accounts.find((a) => a.id === id);
    const oldSig = signatureHtml(before?.signature);
    // an untouched body takes the new account's signature
    if (s.body === oldSig) update({ accountId: id, body: signatureHtml(after?.signature) });
    else update({ accountId: id });
    setEditorKey((k) => (s.body === oldSig ? k + 1 : k));
  }

  const status = saver.status;
  const row = (label: ReactNode, control: ReactNode, extra?: ReactNode) => (
    <Flex align="center" gap={8}>
      <Typography.Text type="secondary" style={{ width: 64, flex: 'none', textAlign: 'right' }}>
        {label}
      </Typography.Text>
      <div style={{ flex: 1, minWidth: 0 }}>{control}</div>
      {extra}
    </Flex>
  );

  return (
    <Flex vertical gap={10} data-testid="compose">
      <Flex justify="space-between" align="center">
        <Space>
          <Button type="primary" icon={<SendOutlined />} loading={sending} onClick={() => void send()}>
            {t('mailui.compose.send')}
          </Button>
          <Button
            onClick={() => void saver.save(composeBodyOf(s)).then(refreshLists, () => undefined)}
            disabled={sending || stopped.current}
          >
            {t('mailui.compose.save_draft')}
          </Button>
        </Space>
        <Typography.Text type={status.state === 'error' ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid="draft-status">
          {status.state === 'saving'
            ? t('mailui.compose.saving')
            : status.state === 'saved' && status.at
              ? t('mailui.compose.saved_at', { time: status.at.toLocaleTimeString() })
              : status.state === 'error'
                ? t('mailui.compose.save_failed', { error: status.error ?? '' })
                : ''}
        </Typography.Text>
      </Flex>
      {sendError ? (
        <Alert type="error" showIcon title={sendError} data-testid="send-error" closable onClose={() => setSendError(null)} />
      ) : null}
      {row(
        t('mailui.compose.from'),
        <Select
          aria-label={t('mailui.compose.from')}
          value={s.accountId}
          onChange={changeAccount}
          options={accounts.map((a) => ({ value: a.id, label: `${a.name} <${a.address}>`, disabled: !a.enabled }))}
          style={{ width: '100%' }}
        />,
      )}
      {row(
        t('mailui.compose.to'),
        <AddressInput aria-label={t('mailui.compose.to')} value={s.to} onChange={(to) => update({ to })} />,
        !showCc ? (
          <Button type="link" size="small" onClick={() => setShowCc(true)}>
            {t('mailui.compose.add_cc')}
          </Button>
        ) : undefined,
      )}
      {showCc
        ? row(t('mailui.compose.cc'), <AddressInput aria-label={t('mailui.compose.cc')} value={s.cc} onChange={(cc) => update({ cc })} />)
        : null}
      {showCc
        ? row(
            t('mailui.compose.bcc'),
            <AddressInput aria-label={t('mailui.compose.bcc')} value={s.bcc} onChange={(bcc) => update({ bcc })} />,
          )
        : null}
      {row(
        t('mailui.compose.subject'),
        <Input
          aria-label={t('mailui.compose.subject')}
          value={s.subject}
          maxLength={500}
          onChange={(e) => update({ subject: e.target.value })}
        />,
      )}
      {row('', <AttachmentsField value={s.files} onChange={(files) => update({ files })} />)}
      <Suspense fallback={<Skeleton active />}>
        <RichEditor key={editorKey} initialHtml={s.body} onChange={(body) => update({ body })} ariaLabel={t('mailui.compose.body')} />
      </Suspense>
      {s.quote ? (
        <Flex vertical gap={4}>
          <Flex justify="space-between" align="center">
            <Typography.Text type="secondary">{t('mailui.compose.quoted')}</Typography.Text>
            <Button type="link" size="small" onClick={() => update({ quote: null })}>
              {t('mailui.compose.remove_quote')}
            </Button>
          </Flex>
          <div style={{ maxHeight: 320, overflow: 'auto', border: '1px dashed #d9d9d9', borderRadius: 6, padding: 8 }}>
            <MailBody html={s.quote} text={null} />
          </div>
        </Flex>
      ) : null}
      <Modal
        open={asking}
        title={t('mailui.compose.close_title')}
        onCancel={() => setAsking(false)}
        footer={[
          <Button key="continue" onClick={() => setAsking(false)}>
            {t('mailui.compose.continue')}
          </Button>,
          <Button key="discard" danger onClick={() => void discardDraft()}>
            {t('mailui.compose.discard')}
          </Button>,
          <Button key="keep" type="primary" onClick={() => void keepDraft()}>
            {t('mailui.compose.keep')}
          </Button>,
        ]}
      >
        {t('mailui.compose.close_body')}
      </Modal>
    </Flex>
  );
}

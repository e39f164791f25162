import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Descriptions, Divider, Flex, Popconfirm, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import {
  DeleteOutlined,
  EyeInvisibleOutlined,
  PaperClipOutlined,
  RollbackOutlined,
  ShareAltOutlined,
  StarFilled,
  StarOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import { fileUrl, formatSize } from '@web/features/customers/api';
import { formatAddress, useMailMessage, type MailMessage } from '../api';
import { MailBody } from './MailBody';
import { useMessageActions } from './useMessageActions';

export type ReplyKind = 'reply' | 'replyAll' | 'forward';

type Props = {
  id: string;
  /** someone else's mail seen through a customer: read only */
  readOnly?: boolean;
  onReply?: (kind: ReplyKind, message: MailMessage) => void;
  /** a send SMTP refused: open it in compose to correct and send again */
  onResend?: (message: MailMessage) => void;
  /** after delete / mark unread: the view has nothing more to show */
  onClose?: () => void;
};

/** The read view: headers, attachments, the body in a sandboxed frame (remote images on request), actions. */
export function MessageView({ id, readOnly = false, onReply, onResend, onClose }: Props) {
  const t = useT();
  const [images, setImages] = useState(false);
  useEffect(() => setImages(false), [id]);
  const query = useMailMessage(id, images);
  const actions = useMessageActions();
  const m = query.data;

  useEffect(() => {
    if (m && !readOnly) actions.seen(m.id);
    // once per message loaded
  }, [m?.id]);

  if (query.isError) return <Alert type="error" showIcon title={query.error.message} />;
  if (!m) return <Skeleton active />;

  const files = m.attachments.filter((a) => !a.inline);
  const inTrash = m.folder === 'trash';
  return (
    <Flex vertical gap={8} data-testid="mail-view">
      <Flex justify="space-between" align="flex-start" gap={8}>
        <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-word' }} data-testid="mail-subject">
          {m.subject || t('mailui.no_subject')}
        </Typography.Title>
        {!readOnly ? (
          <Button
            type="text"
            aria-label={m.starred ? t('mailui.action.unstar') : t('mailui.action.star')}
            icon={m.starred ? <StarFilled style={{ color: '#faad14' }} /> : <StarOutlined />}
            onClick={() => void actions.star(m.id, !m.starred)}
          />
        ) : null}
      </Flex>
      {!readOnly ? (
        <Space wrap size={4}>
          <Button size="small" icon={<RollbackOutlined />} onClick={() => onReply?.('reply', m)}>
            {t('mailui.action.reply')}
          </Button>
          <Button size="small" onClick={() => onReply?.('replyAll', m)}>
            {t('mailui.action.reply_all')}
          </Button>
          <Button size="small" icon={<ShareAltOutlined />} onClick={() => onReply?.('forward', m)}>
            {t('mailui.action.forward')}
          </Button>
          {inTrash ? (
            <Button size="small" icon={<UndoOutlined />} onClick={() => void actions.restore(m.id).then(onClose)}>
              {t('mailui.action.restore')}
            </Button>
          ) : (
            <Tooltip title={t('mailui.action.mark_unread')}>
              <Button
                size="small"
                icon={<EyeInvisibleOutlined />}
                aria-label={t('mailui.action.mark_unread')}
                onClick={() => void actions.markUnread(m.id).then(onClose)}
              />
            </Tooltip>
          )}
          {inTrash ? (
            <Popconfirm
              title={t('mailui.action.delete_forever_confirm')}
              okText={t('common.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() => void actions.remove(m.id).then((ok) => ok && onClose?.())}
            >
              <Button size="small" danger icon={<DeleteOutlined />}>
                {t('mailui.action.delete_forever')}
              </Button>
            </Popconfirm>
          ) : (
            <Tooltip title={t('common.delete')}>
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common.delete')}
                onClick={() => void actions.remove(m.id).then((ok) => ok && onClose?.())}
              />
            </Tooltip>
          )}
        </Space>
      ) : null}
      <Descriptions
        size="small"
        column={1}
        styles={{ label: { width: 72 } }}
        items={[
          { key: 'from', label: t('mailui.read.from'), children: formatAddress(m.from) || t('mailui.list.unknown_sender') },
          { key: 'to', label: t('mailui.read.to'), children: m.to.map(formatAddress).join(', ') || '—' },
          ...(m.cc.length ? [{ key: 'cc', label: t('mailui.read.cc'), children: m.cc.map(formatAddress).join(', ') }] : []),
          ...(m.bcc.length ? [{ key: 'bcc', label: t('mailui.read.bcc'), children: m.bcc.map(formatAddress).join(', ') }] : []),
          { key: 'date', label: t('mailui.read.date'), children: formatDateTime(m.date) },
          ...(m.customers.length
            ? [
                {
                  key: 'customers',
                  label: t('mailui.read.customers'),
                  children: (
                    <Flex gap={4} wrap>
                      {m.customers.map((c) => (
                        <Tag key={c.id} color="blue">
                          <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                        </Tag>
                      ))}
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      {m.sendStatus === 'failed' ? (
        <Alert
          type="error"
          showIcon
          title={t('mailui.read.send_failed')}
          description={m.sendError ?? undefined}
          action={
            !readOnly && onResend ? (
              <Button size="small" onClick={() => onResend(m)}>
                {t('mailui.action.resend')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      {files.length ? (
        <Flex gap={8} wrap data-testid="mail-attachments">
          {files.map((a) => (
            <a key={a.id} href={fileUrl(a.fileId)} target="_blank" rel="noreferrer" download={a.name}>
              <Tag icon={<PaperClipOutlined />} style={{ padding: '2px 8px' }}>
                {a.name} ({formatSize(a.size)})
              </Tag>
            </a>
          ))}
        </Flex>
      ) : null}
      {m.remoteImagesBlocked ? (
        <Alert
          type="info"
          showIcon
          data-testid="remote-images-blocked"
          title={
            <Space>
              {t('mailui.read.images_blocked')}
              <Button size="small" type="link" onClick={() => setImages(true)} style={{ padding: 0 }}>
                {t('mailui.read.show_images')}
              </Button>
            </Space>
          }
        />
      ) : null}
      <Divider style={{ margin: '4px 0' }} />
      <MailBody html={m.html} text={m.text} src={`/api/v1/mail/messages/${encodeURIComponent(m.id)}/body${images ? '?images=1' : ''}`} />
    </Flex>
  );
}

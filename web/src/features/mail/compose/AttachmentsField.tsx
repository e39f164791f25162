import { useRef, useState } from 'react';
import { Button, Flex, Tag, Upload } from 'antd';
import { LoadingOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useT } from '@web/app/i18n';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import { formatSize, uploadFile } from '@web/features/customers/api';
import type { ComposeFile } from './quote';

/** at most this many per mail (the server's limit) */
export const MAX_ATTACHMENTS = 20;

type Props = { value: ComposeFile[]; onChange: (files: ComposeFile[]) => void };

/** 添加附件: uploads each file (POST /files) and lists them; a file can be removed again. */
export function AttachmentsField({ value, onChange }: Props) {
  const t = useT();
  const feedback = useFeedback();
  const [uploading, setUploading] = useState<string[]>([]);
  // uploads finish in any order, maybe before the parent re-renders: always add to the latest list
  const latest = useRef(value);
  latest.current = value;

  async function add(file: File) {
    setUploading((u) => [...u, file.name]);
    try {
      const info = await uploadFile(file);
      latest.current = [...latest.current, { fileId: info.id, name: info.name, size: info.size }];
      onChange(latest.current);
    } catch (e) {
      feedback.failure(e);
    } finally {
      setUploading((u) => {
        const i = u.indexOf(file.name);
        return i < 0 ? u : [...u.slice(0, i), ...u.slice(i + 1)];
      });
    }
  }

  return (
    <Flex gap={6} wrap align="center">
      <Upload
        multiple
        showUploadList={false}
        disabled={value.length >= MAX_ATTACHMENTS}
        customRequest={({ file, onSuccess }) => {
          void add(file as File).then(() => onSuccess?.({}));
        }}
      >
        <Button size="small" icon={<PaperClipOutlined />} disabled={value.length >= MAX_ATTACHMENTS}>
          {t('mailui.compose.attach')}
        </Button>
      </Upload>
      {value.map((f) => (
        <Tag key={f.fileId} closable onClose={() => onChange(value.filter((x) => x.fileId !== f.fileId))} data-testid="compose-attachment">
          {f.name} ({formatSize(f.size)})
        </Tag>
      ))}
      {uploading.map((name, i) => (
        <Tag key={`${name}-${i}`} icon={<LoadingOutlined />}>
          {name}
        </Tag>
      ))}
    </Flex>
  );
}

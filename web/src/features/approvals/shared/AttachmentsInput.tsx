import { useRef, useState } from 'react';
import { Button, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { ApiError, get } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { uploadFile, type FileInfo } from '@web/features/customers/api';

/** A file already uploaded: its id goes to the server, name and size for the list. */
export type Attached = { id: string; name: string; size?: number };

type Props = {
  id?: string;
  value?: Attached[];
  onChange?: (value: Attached[]) => void;
  max?: number;
};

/**
 * Attachments of an action or a form field: each file is uploaded at once (POST /files) and the
 * value is the list of uploaded files; the form sends their ids.
 */
export function AttachmentsInput({ id, value = [], onChange, max = 20 }: Props) {
  const t = useT();
  const [uploading, setUploading] = useState<UploadFile[]>([]);
  // files known only by id (a returned form's saved values): their names from GET /files/:id/info
  const unnamed = value.filter((f) => !f.name);
  const infos = useQueries({
    queries: unnamed.map((f) => ({
      queryKey: ['files', 'info', f.id],
      queryFn: () => get<FileInfo>(`/files/${encodeURIComponent(f.id)}/info`),
      staleTime: Infinity,
    })),
  });
  const nameOf = (f: Attached) => f.name || infos[unnamed.indexOf(f)]?.data?.name || f.id;
  const files: UploadFile[] = [
    ...value.map((f): UploadFile => ({ uid: f.id, name: nameOf(f), status: 'done', url: `/api/v1/files/${encodeURIComponent(f.id)}` })),
    ...uploading,
  ];
  // the latest value, for uploads finishing one after another before the next render
  const latest = useRef(value);
  latest.current = value;

  return (
    <Upload
      id={id}
      multiple
      fileList={files}
      maxCount={max}
      onRemove={(f) => {
        onChange?.(latest.current.filter((v) => v.id !== f.uid));
        setUploading((u) => u.filter((x) => x.uid !== f.uid));
      }}
      customRequest={({ file }) => {
        const f = file as File & { uid: string };
        setUploading((u) => [...u, { uid: f.uid, name: f.name, status: 'uploading' }]);
        uploadFile(f)
          .then((info) => {
            setUploading((u) => u.filter((x) => x.uid !== f.uid));
            latest.current = [...latest.current, { id: info.id, name: info.name, size: info.size }];
            onChange?.(latest.current);
          })
          .catch((e: unknown) => {
            const msg = e instanceof ApiError ? e.message : t('approvalscentre.upload.failed');
            setUploading((u) => u.map((x) => (x.uid === f.uid ? { ...x, status: 'error', response: msg } : x)));
          });
      }}
    >
      <Button icon={<UploadOutlined />}>{t('approvalscentre.upload.button')}</Button>
    </Upload>
  );
}

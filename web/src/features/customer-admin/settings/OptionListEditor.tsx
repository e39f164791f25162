import { Button, Flex, Form, Input, Tooltip } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useT } from '@web/app/i18n';

/** A fresh key for a new entry (the admin may change it before saving; saved keys are fixed). */
export const newKey = (prefix = 'k') => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,29}$/;

type Props = {
  /** the form list's name, e.g. 'stages' */
  name: string;
  /** keys saved before: not editable (records refer to them) */
  savedKeys: Set<string>;
  /** more inputs per row (e.g. a category's required fields) */
  extra?: (index: number) => ReactNode;
  min?: number;
  max: number;
  /** more initial values of a new entry */
  blank?: Record<string, unknown>;
};

/** An editable ordered list of `{key, label}`: add, remove, move up / down; keys of saved entries are fixed. */
export function OptionListEditor({ name, savedKeys, extra, min = 0, max, blank }: Props) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove, move }) => (
        <Flex vertical gap={8}>
          {fields.map((field, index) => (
            <Flex key={field.key} gap={8} align="start" wrap data-testid={`${name}-row`}>
              <Form.Item noStyle shouldUpdate>
                {({ getFieldValue }) => {
                  const key = getFieldValue([name, field.name, 'key']) as string | undefined;
                  return (
                    <Form.Item
                      name={[field.name, 'key']}
                      rules={[
                        { required: true, message: t('admin.required') },
                        { pattern: KEY_PATTERN, message: t('salesui.settings.key_rule') },
                      ]}
                      style={{ marginBottom: 0, width: 150 }}
                      tooltip={t('salesui.settings.key_help')}
                    >
                      <Input
                        placeholder={t('salesui.settings.key')}
                        disabled={Boolean(key && savedKeys.has(key))}
                        aria-label={t('salesui.settings.key')}
                      />
                    </Form.Item>
                  );
                }}
              </Form.Item>
              <Form.Item
                name={[field.name, 'label']}
                rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 50 }]}
                style={{ marginBottom: 0, width: 180 }}
              >
                <Input placeholder={t('salesui.settings.label')} aria-label={t('salesui.settings.label')} />
              </Form.Item>
              {extra?.(field.name)}
              <Tooltip title={t('salesui.settings.up')}>
                <Button icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} />
              </Tooltip>
              <Tooltip title={t('salesui.settings.down')}>
                <Button icon={<ArrowDownOutlined />} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} />
              </Tooltip>
              <Tooltip title={t('common.delete')}>
                <Button danger icon={<DeleteOutlined />} disabled={fields.length <= min} onClick={() => remove(field.name)} />
              </Tooltip>
            </Flex>
          ))}
          <div>
            <Button icon={<PlusOutlined />} disabled={fields.length >= max} onClick={() => add({ key: newKey(), label: '', ...blank })}>
              {t('salesui.settings.add')}
            </Button>
          </div>
        </Flex>
      )}
    </Form.List>
  );
}

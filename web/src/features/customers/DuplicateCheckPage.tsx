import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, List, Tag, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { get, qs } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import { useFeedback } from '@web/features/system/shared/useFeedback';
import type { DuplicateCheckResult } from '@common/schemas/customers';

type Values = { name?: string; phone?: string };

/**
 * /customers/duplicate-check (客户查重): anyone types a company name or a phone and learns whether it
 * is already entered and who owns it (or that it is in the public pool) — and nothing more.
 */
export function DuplicateCheckPage() {
  const t = useT();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [asked, setAsked] = useState<Values | null>(null);
  const check = useMutation({
    mutationFn: (v: Values) => get<DuplicateCheckResult>(`/customers/duplicate-check${qs({ name: v.name, phone: v.phone })}`),
  });

  function submit(v: Values) {
    const values = { name: v.name?.trim() || undefined, phone: v.phone?.trim() || undefined };
    if (!values.name && !values.phone) {
      form.setFields([{ name: 'name', errors: [t('customersui.dup.need_one')] }]);
      return;
    }
    setAsked(values);
    check.mutateAsync(values).catch((e: unknown) => feedback.failure(e, form));
  }

  const matches = check.data?.matches ?? [];
  return (
    <>
      <PageHeader subTitle={t('customersui.dup.subtitle')} />
      <Card style={{ maxWidth: 720 }}>
        <Form form={form} name="duplicateCheck" layout="vertical" onFinish={submit}>
          <Form.Item name="name" label={t('customersui.dup.name')}>
            <Input allowClear maxLength={200} placeholder={t('customersui.dup.name_placeholder')} />
          </Form.Item>
          <Form.Item name="phone" label={t('customersui.dup.phone')}>
            <Input allowClear maxLength={40} placeholder={t('customersui.dup.phone_placeholder')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={check.isPending}>
            {t('customersui.dup.check')}
          </Button>
        </Form>
        {check.isSuccess && asked ? (
          <div style={{ marginTop: 24 }} data-testid="duplicate-result">
            {matches.length === 0 ? (
              <Alert type="success" showIcon title={t('customersui.dup.none')} />
            ) : (
              <Alert
                type="warning"
                showIcon
                title={t('customersui.dup.found')}
                description={
                  <List
                    size="small"
                    dataSource={matches}
                    renderItem={(m, i) => (
                      <List.Item key={i}>
                        <Flex gap={8} align="center" wrap>
                          <Tag>{t(`customersui.dup.by.${m.by}`)}</Tag>
                          {m.inPool ? (
                            <Typography.Text>{t('customersui.dup.in_pool')}</Typography.Text>
                          ) : (
                            <Typography.Text>{t('customersui.dup.owned_by', { owner: m.ownerName ?? '—' })}</Typography.Text>
                          )}
                        </Flex>
                      </List.Item>
                    )}
                  />
                }
              />
            )}
          </div>
        ) : null}
      </Card>
    </>
  );
}

import { Flex, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import type { MailTestResult, MailTestSide } from '@common/schemas/mail';
import { useT } from '@web/app/i18n';

/** Both sides of a connection test in plain words, with the server's own answer when there was one. */
export function TestResultView({ result }: { result: MailTestResult }) {
  const t = useT();
  return (
    <Flex vertical gap={12} data-testid="mail-test-result">
      <Side label={t('mailui.accounts.test_incoming')} side={result.incoming} />
      <Side label={t('mailui.accounts.test_smtp')} side={result.smtp} />
    </Flex>
  );
}

function Side({ label, side }: { label: string; side: MailTestSide }) {
  const t = useT();
  return (
    <Flex gap={8} align="flex-start">
      {side.ok ? (
        <CheckCircleFilled style={{ color: '#52c41a', marginTop: 4 }} />
      ) : (
        <CloseCircleFilled style={{ color: '#ff4d4f', marginTop: 4 }} />
      )}
      <Flex vertical gap={2} style={{ minWidth: 0 }}>
        <Typography.Text strong>{label}</Typography.Text>
        <Typography.Text type={side.ok ? undefined : 'danger'}>{side.message}</Typography.Text>
        {side.serverReply ? (
          <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
            {t('mailui.accounts.server_reply')}
            <Typography.Text code>{side.serverReply}</Typography.Text>
          </Typography.Text>
        ) : null}
      </Flex>
    </Flex>
  );
}

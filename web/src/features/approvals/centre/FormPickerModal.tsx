import { useNavigate } from 'react-router';
import { Alert, Card, Col, Empty, Flex, Modal, Row, Skeleton, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import { FormIcon } from '../shared/FormIcon';
import { useAvailableForms } from '../shared/api';

/** 发起审批: the custom forms this user may submit, as cards; a click opens the form. */
export function FormPickerModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const forms = useAvailableForms(open);

  let body: React.ReactNode;
  if (forms.isPending) body = <Skeleton active />;
  else if (forms.isError) body = <Alert type="error" showIcon title={forms.error.message} />;
  else if (!forms.data.length) body = <Empty description={t('approvalscentre.picker.empty')} />;
  else
    body = (
      <Row gutter={[12, 12]}>
        {forms.data.map((f) => (
          <Col key={f.id} xs={24} sm={12} md={8}>
            <Card
              hoverable
              size="small"
              data-testid="form-card"
              onClick={() => {
                onClose();
                void navigate(`/approvals/forms/${encodeURIComponent(f.id)}`);
              }}
            >
              <Flex gap={12} align="center">
                <span style={{ fontSize: 26, color: '#1677ff', lineHeight: 1 }}>
                  <FormIcon icon={f.icon} />
                </span>
                <Flex vertical style={{ minWidth: 0 }}>
                  <Typography.Text strong ellipsis>
                    {f.name}
                  </Typography.Text>
                  {f.description ? (
                    <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                      {f.description}
                    </Typography.Text>
                  ) : null}
                </Flex>
              </Flex>
            </Card>
          </Col>
        ))}
      </Row>
    );

  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('approvalscentre.picker.title')} width={680} destroyOnHidden>
      {body}
    </Modal>
  );
}

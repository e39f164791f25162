import { lazy } from 'react';
import { ApartmentOutlined, AuditOutlined, FormOutlined, SolutionOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '@web/app/features';

const workflow = (action: 'view' | 'edit') => ({ module: 'workflow', action }) as const;

/** 流程管理 (issue 4): the approval centre for everyone; the designer, approval positions and custom forms for admins. */
export const approvalRoutes: FeatureRoute[] = [
  {
    path: '/approvals',
    page: lazy(() => import('./centre/ApprovalCentrePage').then((m) => ({ default: m.ApprovalCentrePage }))),
    titleKey: 'approvalscentre.title',
    access: 'user',
    menu: { group: 'work', icon: <AuditOutlined />, order: 5 },
  },
  {
    path: '/approvals/forms/:formId',
    page: lazy(() => import('./centre/SubmitFormPage').then((m) => ({ default: m.SubmitFormPage }))),
    titleKey: 'approvalscentre.submit.title',
    access: 'user',
  },
  {
    path: '/approvals/:id',
    page: lazy(() => import('./centre/ApprovalDetailPage').then((m) => ({ default: m.ApprovalDetailPage }))),
    titleKey: 'approvalscentre.detail.title',
    access: 'user',
  },
  {
    path: '/settings/approval-flows',
    page: lazy(() => import('./designer/FlowsPage').then((m) => ({ default: m.FlowsPage }))),
    titleKey: 'approvalsdesigner.flows.title',
    access: workflow('view'),
    menu: { group: 'system', icon: <ApartmentOutlined />, order: 60 },
  },
  {
    path: '/settings/approval-flows/:id',
    page: lazy(() => import('./designer/FlowDesignerPage').then((m) => ({ default: m.FlowDesignerPage }))),
    titleKey: 'approvalsdesigner.designer.title',
    access: workflow('view'),
  },
  {
    path: '/settings/approval-positions',
    page: lazy(() => import('./designer/ApprovalPositionsPage').then((m) => ({ default: m.ApprovalPositionsPage }))),
    titleKey: 'approvalsdesigner.positions.title',
    access: workflow('view'),
    menu: { group: 'system', icon: <SolutionOutlined />, order: 61 },
  },
  {
    path: '/settings/approval-forms',
    page: lazy(() => import('./designer/FormsPage').then((m) => ({ default: m.FormsPage }))),
    titleKey: 'approvalsdesigner.forms.title',
    access: workflow('view'),
    menu: { group: 'system', icon: <FormOutlined />, order: 62 },
  },
];

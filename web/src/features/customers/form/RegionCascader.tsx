import { Cascader } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useT } from '@web/app/i18n';
import { loadRegionTree, regionPath, type RegionNode } from './regions';

type Props = { id?: string; value?: string | null; onChange?: (code: string | null) => void; disabled?: boolean };

type Option = { value: string; label: string; children?: Option[] };
const toOptions = (nodes: RegionNode[]): Option[] =>
  nodes.map((n) => ({ value: n.code, label: n.name, children: n.children?.length ? toOptions(n.children) : undefined }));

/** Province / city / district picker over the bundled divisions; the value is the deepest code chosen. */
export function RegionCascader({ id, value, onChange, disabled }: Props) {
  const t = useT();
  const tree = useQuery({
    queryKey: ['regions', 'tree'],
    queryFn: async () => toOptions(await loadRegionTree()),
    staleTime: Infinity,
  });
  return (
    <Cascader
      id={id}
      disabled={disabled}
      loading={tree.isLoading}
      options={tree.data ?? []}
      value={regionPath(value)}
      changeOnSelect
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
      allowClear
      placeholder={t('customersui.form.region_placeholder')}
      onChange={(path) => onChange?.(path?.length ? String(path[path.length - 1]) : null)}
    />
  );
}

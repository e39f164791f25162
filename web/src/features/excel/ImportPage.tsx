import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Card, Steps } from 'antd';
import { post } from '@web/app/api';
import { useT } from '@web/app/i18n';
import { PageHeader } from '@web/app/PageHeader';
import {
  TRANSFER_ENTITIES,
  useSeedTransfer,
  useTransfer,
  type DataTransfer,
  type ImportMapping,
  type ImportStart,
  type TransferEntity,
} from './api';
import { MappingStep } from './MappingStep';
import { PreviewStep, ResultStep } from './PreviewStep';
import { UploadStep } from './UploadStep';

type Step = 'upload' | 'mapping' | 'preview' | 'result';
const STEPS: Step[] = ['upload', 'mapping', 'preview', 'result'];

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * /customers/import?entity=customer|contact|lead — the import wizard: template and upload, column
 * mapping, a preview that checks every row (nothing written), then the run and its error workbook.
 */
export function ImportPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const raw = params.get('entity');
  const entity: TransferEntity = (TRANSFER_ENTITIES as readonly string[]).includes(raw ?? '') ? (raw as TransferEntity) : 'customer';
  const [step, setStep] = useState<Step>('upload');
  const [start, setStart] = useState<ImportStart | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const seed = useSeedTransfer();
  const transfer = useTransfer(start?.id ?? null);
  const label = (key: string) => start?.fields.find((f) => f.key === key)?.label ?? key;

  function started(s: ImportStart) {
    setStart(s);
    setMapping(Object.fromEntries(s.headers.map((_, i) => [String(i), s.suggestedMapping[String(i)] ?? null])));
    setProblem(null);
    setStep('mapping');
  }

  async function act(path: string, body: object, next: Step) {
    if (!start) return;
    setBusy(true);
    setProblem(null);
    try {
      seed(await post<DataTransfer>(`/imports/${start.id}/${path}`, body));
      setStep(next);
    } catch (e) {
      setProblem(message(e));
    } finally {
      setBusy(false);
    }
  }

  const reset = () => {
    setStart(null);
    setMapping({});
    setProblem(null);
    setStep('upload');
  };

  return (
    <>
      <PageHeader subTitle={t('salesui.excel.import_sub', { entity: t(`fields.entity.${entity}`) })} />
      <Card>
        <Steps
          current={STEPS.indexOf(step)}
          style={{ marginBottom: 24 }}
          items={STEPS.map((s) => ({ title: t(`salesui.excel.step.${s}`) }))}
        />
        {step === 'upload' && (
          <UploadStep entity={entity} onEntity={(e) => setParams({ entity: e }, { replace: true })} onStarted={started} />
        )}
        {step === 'mapping' && start && (
          <MappingStep
            start={start}
            mapping={mapping}
            onMapping={setMapping}
            onBack={reset}
            onPreview={() => void act('preview', { mapping }, 'preview')}
            busy={busy}
            problem={problem}
          />
        )}
        {step === 'preview' && (
          <PreviewStep
            transfer={transfer.data}
            label={label}
            onBack={() => {
              setProblem(null);
              setStep('mapping');
            }}
            onRun={() => void act('run', {}, 'result')}
            running={busy}
            problem={problem}
          />
        )}
        {step === 'result' && <ResultStep transfer={transfer.data} entity={entity} label={label} onAgain={reset} />}
      </Card>
    </>
  );
}

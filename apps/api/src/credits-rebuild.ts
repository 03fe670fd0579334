import 'reflect-metadata';
import {
  ConfigError,
  dataSourceOptions,
  loadAppConfig,
  openDataSource,
  redactDatabaseUrl,
  TransactionRunner,
} from '@shipei/core';
import { checkCreditTable, checkTeacherCounts, rebuildCreditTable } from '@shipei/records';
import { ENTITIES, MIGRATIONS } from './database/schema';

/**
 * `npm run credits:rebuild`: recomputes the tables the compliance lists read — each school's teacher
 * count (teacher_count) and the per-teacher credit tables per year and cycle (credit_year, credit_cycle) from the completed
 * enrolments and external credits, in batches of teachers; safe to run again and while the app runs. `-- --check` only compares and lists the differences (exit code 1 if any).
 */
async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const ds = await openDataSource(dataSourceOptions({ config, entities: ENTITIES, migrations: MIGRATIONS }));
  const tx = new TransactionRunner(ds);
  const where = redactDatabaseUrl(config.databaseUrl);
  try {
    if (process.argv.includes('--check')) {
      const diff = await checkCreditTable(tx, config.creditCycleStartYear);
      for (const d of diff.slice(0, 20))
        console.log(
          `${d.table} teacher ${d.teacherId} ${d.year}: held ${d.held ?? '—'}, source rows ${d.source ?? '—'}`,
        );
      console.log(`${where}: ${diff.length} difference(s) between credit_year / credit_cycle and the source rows`);
      const counts = await checkTeacherCounts(tx);
      for (const c of counts.slice(0, 20)) console.log(`school ${c} (counted ≠ teachers)`);
      console.log(`${where}: ${counts.length} school(s) whose teacher_count differs from their teachers`);
      if (diff.length || counts.length) process.exitCode = 1;
      return;
    }
    const started = Date.now();
    const rows = await rebuildCreditTable(tx, config.creditCycleStartYear, {
      progress: (done, of) => process.stdout.write(`\r${done}/${of} batches`),
    });
    console.log(`\n${where}: credit_year rebuilt, ${rows} row(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});

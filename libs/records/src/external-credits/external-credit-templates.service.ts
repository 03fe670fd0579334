import { Injectable } from '@nestjs/common';
import { attachment, Download, XLSX_MIME } from '../shared/files';
import { buildCreditTemplate } from './external-credit-template';

/** The import template, built once per process. */
@Injectable()
export class ExternalCreditTemplates {
  private bytes?: Promise<Buffer>;

  async template(): Promise<Download<Buffer>> {
    this.bytes ??= buildCreditTemplate();
    return {
      body: await this.bytes,
      type: XLSX_MIME,
      disposition: attachment('external-credit-template.xlsx', '校外学时导入模板.xlsx'),
    };
  }
}

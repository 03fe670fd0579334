import { Injectable, PipeTransform } from '@nestjs/common';
import { createValidationPipe, validationFailed } from '@shipei/core';
import { QuotaItemDto, QuotaListDto } from './enrolment.dto';

/** Validates a JSON array body (`[{countyId, seats}]`) element by element, with Chinese field errors. */
@Injectable()
export class QuotaListPipe implements PipeTransform<unknown, Promise<QuotaItemDto[]>> {
  private readonly pipe = createValidationPipe();

  async transform(value: unknown): Promise<QuotaItemDto[]> {
    if (!Array.isArray(value))
      throw validationFailed([{ field: 'body', message: '请求体须为数组：[{countyId, seats}]' }]);
    const dto = (await this.pipe.transform({ items: value }, { type: 'body', metatype: QuotaListDto })) as QuotaListDto;
    return dto.items;
  }
}

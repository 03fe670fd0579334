import { startSmsGateway } from './support/sms-gateway';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-sms';
(async () => {
  const g = await startSmsGateway('tencent', 'AKID', 'sec');
  const host = g.url.replace('http://', '');
  const client = new tencentcloud.sms.v20210111.Client({ credential: { secretId: 'AKID', secretKey: 'sec' }, region: 'ap-guangzhou', profile: { signMethod: 'TC3-HMAC-SHA256', httpProfile: { endpoint: host, protocol: 'http://' } } });
  try { console.log(JSON.stringify(await client.SendSms({ PhoneNumberSet: ['+8613800000000'], SmsSdkAppId: '1', SignName: 's', TemplateId: '1', TemplateParamSet: ['a'] }))); } catch (e) { console.log('ERR', String(e)); }
  console.log(g.requests);
  await g.close();
})();

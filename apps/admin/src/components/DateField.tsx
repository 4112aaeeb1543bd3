/**
 * A day picker in the console's language. The browser's own `<input type="date">` writes its day in
 * the browser's locale (mm/dd/yyyy in an English Chromium) whatever language the console is in.
 * Values are `YYYY-MM-DD` strings, as the API and the URL take them; '' is no day.
 */
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import 'dayjs/locale/zh-cn';
import { useT } from '../lib/i18n-context';

interface DateFieldProps {
  label: string;
  value: string;
  onChange: (day: string) => void;
  /** Days before it cannot be picked (`YYYY-MM-DD`). */
  minDate?: string;
  /** Days after it cannot be picked (`YYYY-MM-DD`). */
  maxDate?: string;
  /** An emptied field reports ''; without it the field always holds a day. */
  clearable?: boolean;
  /** Shown while no day is picked. */
  placeholder?: string;
  w?: number;
}

export function DateField({
  label,
  value,
  onChange,
  minDate,
  maxDate,
  clearable = false,
  placeholder,
  w = 170,
}: DateFieldProps) {
  const { lang } = useT();
  const zh = lang === 'zh';
  return (
    <DatesProvider settings={{ locale: zh ? 'zh-cn' : 'en', firstDayOfWeek: zh ? 1 : 0 }}>
      <DatePickerInput
        label={label}
        value={value || null}
        onChange={(day) => (day || clearable) && onChange(day ?? '')}
        valueFormat={zh ? 'YYYY年M月D日' : 'MMM D, YYYY'}
        monthLabelFormat={zh ? 'YYYY年M月' : 'MMMM YYYY'}
        minDate={minDate}
        maxDate={maxDate}
        clearable={clearable}
        placeholder={placeholder}
        w={w}
      />
    </DatesProvider>
  );
}

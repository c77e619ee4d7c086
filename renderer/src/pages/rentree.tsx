import { useState } from 'react';
import { PageHeader, Tabs } from '../ui.js';
import { OfficialCalendarSection } from './rentree-calendar.js';
import { SchoolClassesSection } from './rentree-classes.js';
import { PassageSection } from './rentree-passage.js';

type Tab = 'calendrier' | 'classes' | 'passage';

/** "Rentrée" (admin): the official school calendar, each school's classes, the passage en classe supérieure. */
export function RentreePage() {
  const [tab, setTab] = useState<Tab>('calendrier');
  return (
    <>
      <PageHeader title="Rentrée" />
      <Tabs<Tab>
        tabs={[
          { id: 'calendrier', label: 'Calendrier scolaire officiel' },
          { id: 'classes', label: 'Classes des écoles' },
          { id: 'passage', label: 'Passage en classe supérieure' },
        ]}
        current={tab}
        onChange={setTab}
      />
      {tab === 'calendrier' ? <OfficialCalendarSection /> : tab === 'classes' ? <SchoolClassesSection /> : <PassageSection />}
    </>
  );
}

import { createRoot } from 'react-dom/client';
import '../../components/app/base.css';
import '../../components/app/page.css';
import { OptionsPage } from '../../components/options/OptionsPage';

createRoot(document.getElementById('root')!).render(<OptionsPage />);

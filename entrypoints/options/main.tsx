import { createRoot } from 'react-dom/client';
import '../../components/app/page.css';
import { OptionsPage } from '../../components/options/OptionsPage';

createRoot(document.getElementById('root')!).render(<OptionsPage />);
